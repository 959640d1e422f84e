// Issue 15 item 3 from the command line: `refundkey bank create --name N --merchant M` registers a partner bank, prints
// its credential once and makes it M's settlement bank; a request signed with that credential becomes a support case.
// `bank settle` names the settlement bank of another merchant; an unknown bank is refused (exit 1, BANK_NOT_FOUND) and
// changes nothing. Both actions are in the audit log as the system at the command line.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBankRequest } from '../../src/modules/banks/bank-signature.js';
import { DIALECTS } from '../support/databases.js';
import { runCli } from '../support/server-process.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

const PATH = '/v1/bank/reset-requests';

describe.each(DIALECTS)('refundkey bank create|settle [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let other: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    other = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  const cli = (...args: string[]) => runCli(['bank', ...args, '--database-url', t.services.config.databaseUrl]);
  const signed = (keyId: string, secret: string, merchantId: string) => {
    const body = JSON.stringify({
      merchant_id: merchantId,
      kind: 'locked_out_owner',
      verification: { branch: '徐汇支行', officer: '柜员 17', document_type: 'resident_id', last4: '0420' },
    });
    const timestamp = String(Math.floor(t.clock.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const signature = signBankRequest(secret, { method: 'POST', path: PATH, timestamp, nonce, body });
    return t.request('POST', PATH, {
      body,
      headers: {
        'refundkey-bank-key': keyId,
        'refundkey-timestamp': timestamp,
        'refundkey-nonce': nonce,
        'refundkey-signature': signature,
      },
    });
  };

  it('registers a bank, prints its credential once, and its signed request becomes a case', async () => {
    const out = cli('create', '--name', '招商银行深圳分行', '--merchant', m.demo.merchant_id);
    const bankId = /\((bnk_[0-9A-Za-z]+)\)/.exec(out)?.[1] ?? '';
    const keyId = /key id: (\S+)/.exec(out)?.[1] ?? '';
    const secret = /secret: (\S+)/.exec(out)?.[1] ?? '';
    t.secrets.add('bank secret', secret);
    expect([bankId, keyId, secret].every(Boolean), out).toBe(true);
    expect(out).toContain(`${m.demo.merchant_id} → ${bankId}`);
    const stored = await t.db.selectFrom('bank_credentials').selectAll().where('key_id', '=', keyId).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(secret);

    const opened = await signed(keyId, secret, m.demo.merchant_id);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ object: 'support_case', status: 'open' });
    // Not yet the other merchant's bank: refused; after `bank settle`, accepted.
    const before = await t.checksum();
    const notYours = await signed(keyId, secret, other.demo.merchant_id);
    expect([notYours.status, notYours.body.error.code]).toEqual([404, 'BANK_MERCHANT_NOT_FOUND']);
    expect(await t.changedSince(before)).toEqual([]);
    expect(cli('settle', '--bank', bankId, '--merchant', other.demo.merchant_id)).toContain(other.demo.merchant_id);
    expect((await signed(keyId, secret, other.demo.merchant_id)).status).toBe(201);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['event', 'origin', 'actor_type'])
      .where('event', 'in', ['bank.registered', 'merchant.settlement_bank_set'])
      .execute();
    expect(audit.map((e) => `${e.event} ${e.actor_type} ${e.origin}`).sort()).toEqual([
      'bank.registered system cli',
      'merchant.settlement_bank_set system cli',
      'merchant.settlement_bank_set system cli',
    ]);
  });

  // Regression: the command was in neither the README's command list nor docs/api.md "Partner banks".
  it('is documented: the README command list and docs/api.md name both subcommands', () => {
    if (dialect !== DIALECTS[0]) return;
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('## The command line');
    const commands = readme.slice(start, readme.indexOf('refundkey --version', start));
    const api = readFileSync('docs/api.md', 'utf8');
    const banks = api.slice(api.indexOf('## Partner banks'), api.indexOf('## Announcements'));
    for (const line of ['refundkey bank create --name N', 'refundkey bank settle --bank bnk_…']) {
      expect(commands).toContain(line);
      expect(banks).toContain(line);
    }
  });

  it('an unknown bank is refused with BANK_NOT_FOUND and nothing changes; no name, no bank', async () => {
    const before = await t.checksum();
    expect(() => cli('settle', '--bank', 'bnk_none', '--merchant', m.demo.merchant_id)).toThrow(/BANK_NOT_FOUND/);
    expect(() => cli('create')).toThrow(/--name <name> is required/);
    expect(() => cli('settle', '--bank', 'bnk_none')).toThrow(/--merchant <id> are required/);
    expect(await t.changedSince(before)).toEqual([]);
  });
});
