// Issue 15 item 3, bank-assisted reset (docs/security.md "Partner banks"): a partner bank signs its requests with
// HMAC-SHA256 over method, path, timestamp, nonce and the body's hash; a request within ±5 minutes with a fresh nonce
// and a correct signature, for a merchant that settles to that bank, becomes a support case in the desk's flow. A bad
// signature, an old timestamp, a reused nonce (also in a burst) and another bank's merchant are refused with their
// exact status and code, and change nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBankRequest } from '../../src/modules/banks/bank-signature.js';
import { person } from '../mfa/mfa-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import type { SeededMerchant } from '../support/test-app.js';
import { HelpdeskWorld } from './support/helpdesk-world.js';

const PATH = '/v1/bank/reset-requests';

interface Credential {
  id: string;
  key_id: string;
  secret: string;
}

describe.each(DIALECTS)('partner bank reset requests [%s]', (dialect) => {
  let w: HelpdeskWorld;
  let admin: StaffClient;
  let bankA: Credential;
  let bankB: Credential;
  let other: SeededMerchant;
  beforeAll(async () => {
    w = await HelpdeskWorld.start(dialect);
    other = await w.t.seedMerchant();
    const who = await person(w.t, null, 'admin');
    admin = await StaffClient.signIn(w.t, who.login, who.password);
    const register = async (name: string) => {
      const answer = await admin.post('/v1/banks', { name });
      expect(answer.status).toBe(201);
      w.t.secrets.add('bank secret', answer.body.secret);
      return answer.body as Credential;
    };
    bankA = await register('工商银行上海分行');
    bankB = await register('建设银行北京分行');
    expect(
      (await admin.post(`/v1/merchants/${w.m.demo.merchant_id}/settlement-bank`, { bank_id: bankA.id })).status,
    ).toBe(200);
    expect(
      (await admin.post(`/v1/merchants/${other.demo.merchant_id}/settlement-bank`, { bank_id: bankB.id })).status,
    ).toBe(200);
  });
  afterAll(async () => w?.close());

  const body = (merchantId: string) => ({
    merchant_id: merchantId,
    kind: 'lost_second_factor',
    verification: { branch: '陆家嘴支行', officer: '柜员 0231', document_type: 'resident_id', last4: '123X' },
  });
  /** A signed request; `tamper` changes one part after signing. */
  const send = (
    bank: Credential,
    payload: unknown,
    {
      nonce = randomBytes(16).toString('hex'),
      timestamp = String(Math.floor(w.t.clock.now() / 1000)),
      tamper,
    }: { nonce?: string; timestamp?: string; tamper?: 'body' | 'secret' } = {},
  ) => {
    const raw = JSON.stringify(payload);
    const secret = tamper === 'secret' ? `${bank.secret}x` : bank.secret;
    const signature = signBankRequest(secret, { method: 'POST', path: PATH, timestamp, nonce, body: raw });
    const sent = tamper === 'body' ? raw.replace('lost_second_factor', 'locked_out_owner') : raw;
    return w.t.request('POST', PATH, {
      body: sent,
      headers: {
        'refundkey-bank-key': bank.key_id,
        'refundkey-timestamp': timestamp,
        'refundkey-nonce': nonce,
        'refundkey-signature': signature,
      },
    });
  };

  it('a signed request for a merchant settling to the bank becomes a case an agent approves', async () => {
    const opened = await send(bankA, body(w.m.demo.merchant_id));
    expect(opened.status).toBe(201);
    const caseId = opened.body.case_id as string;
    const [a] = w.agents;
    const seen = await a.get(`/v1/support/cases/${caseId}`);
    expect(seen.body).toMatchObject({
      status: 'open',
      opened_by: null,
      bank_id: bankA.id,
      bank_verification: { branch: '陆家嘴支行', document_type: 'resident_id', last4: '123X' },
    });
    // The branch checked the ID; the desk still calls back on the registered phone, and any agent approves.
    expect(
      (await a.post(`/v1/support/cases/${caseId}/checks`, { kind: 'callback', outcome: 'reached' })).body.status,
    ).toBe('checks_recorded');
    const approved = await a.post(`/v1/support/cases/${caseId}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.reset_sent).toBe(true);
    const audit = await w.t.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id'])
      .where('event', '=', 'support.case_opened')
      .where('actor_type', '=', 'bank')
      .execute();
    expect(audit).toEqual([{ actor_type: 'bank', actor_id: bankA.id }]);
  });

  it('bad signature, tampered body, old or future timestamp, unknown key: refused, nothing changed', async () => {
    const before = await w.t.checksum();
    const now = Math.floor(w.t.clock.now() / 1000);
    const refusals = [
      await send(bankA, body(w.m.demo.merchant_id), { tamper: 'secret' }),
      await send(bankA, body(w.m.demo.merchant_id), { tamper: 'body' }),
      await send({ ...bankA, key_id: 'bkk_unknown' }, body(w.m.demo.merchant_id)),
      await send(bankA, body(w.m.demo.merchant_id), { timestamp: String(now - 301) }),
      await send(bankA, body(w.m.demo.merchant_id), { timestamp: String(now + 301) }),
    ];
    expect(refusals.map((r) => `${r.status} ${r.body.error.code}`)).toEqual([
      '401 BANK_SIGNATURE_INVALID',
      '401 BANK_SIGNATURE_INVALID',
      '401 BANK_SIGNATURE_INVALID',
      '401 BANK_TIMESTAMP_INVALID',
      '401 BANK_TIMESTAMP_INVALID',
    ]);
    expect(await w.t.changedSince(before)).toEqual([]);
    const refusedAudit = await w.t.db
      .selectFrom('audit_log')
      .select(['actor_type', 'detail'])
      .where('event', '=', 'bank.request_refused')
      .execute();
    expect(refusedAudit.map((r) => r.actor_type).sort()).toEqual(['anonymous', 'bank', 'bank', 'bank', 'bank']);
    // At the edge of the window it is still accepted.
    expect((await send(bankA, body(w.m.demo.merchant_id), { timestamp: String(now - 300) })).status).toBe(201);
  });

  it('a reused nonce is refused, also in a burst of the same signed request: exactly one case', async () => {
    const nonce = randomBytes(16).toString('hex');
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => send(bankA, body(w.m.demo.merchant_id), { nonce })),
    );
    expect(tally(burst)).toEqual({ '201': 1, '409 BANK_NONCE_REUSED': 11 });
    const before = await w.t.checksum();
    const replay = await send(bankA, body(w.m.demo.merchant_id), { nonce });
    expect([replay.status, replay.body.error.code]).toEqual([409, 'BANK_NONCE_REUSED']);
    expect(await w.t.changedSince(before)).toEqual([]);
  });

  it("another bank's merchant, or a full ID number: refused as unknown / refused, nothing changed", async () => {
    const before = await w.t.checksum();
    const foreign = await send(bankA, body(other.demo.merchant_id));
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'BANK_MERCHANT_NOT_FOUND']);
    const unknown = await send(bankA, body('mch_none'));
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'BANK_MERCHANT_NOT_FOUND']);
    const full = body(w.m.demo.merchant_id);
    full.verification.last4 = '110101199003071234';
    const fullNumber = await send(bankA, full);
    expect([fullNumber.status, fullNumber.body.error.code]).toEqual([422, 'SUPPORT_FULL_NUMBER_REFUSED']);
    expect(JSON.stringify(fullNumber.body)).not.toContain('110101199003071234');
    expect(await w.t.changedSince(before)).toEqual([]);
    // The other bank reaches its own merchant.
    expect((await send(bankB, body(other.demo.merchant_id))).status).toBe(201);
  });

  it('only admins register banks; the secret is shown once and stored sealed', async () => {
    const row = await w.t.db
      .selectFrom('bank_credentials')
      .selectAll()
      .where('key_id', '=', bankA.key_id)
      .executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(bankA.secret);
    expect(row.secret_sealed.startsWith('v1.')).toBe(true);
    const owner = await StaffClient.signIn(w.t, w.m.demo.owner.login, w.m.demo.owner.password);
    const before = await w.t.checksum();
    const refused = await owner.post('/v1/banks', { name: 'Rogue bank' });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const agentTries = await w.agents[0].post(`/v1/merchants/${w.m.demo.merchant_id}/settlement-bank`, {
      bank_id: bankB.id,
    });
    expect([agentTries.status, agentTries.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await w.t.changedSince(before)).toEqual([]);
  });
});
