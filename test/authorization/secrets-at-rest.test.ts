// docs/security.md "Secrets at rest": one-time codes stored only as HMAC-SHA256, refund keys and passwords only as
// Argon2id (ASVS 5.0 6.5.2; OWASP Password Storage), and "Logs": never a password, refund key, code or token (PCI DSS 3/10).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { codeOf, KEY_AND_CODE, startRefund, WITH_APPROVAL, wrongCode } from './authz-helpers.js';

/** A secret made only of digits must not appear as a number of its own (timestamps hold digit runs by chance). */
function containsSecret(text: string, secret: string): boolean {
  if (/^\d+$/.test(secret)) return new RegExp(`(?<![0-9])${secret}(?![0-9])`).test(text);
  return text.includes(secret);
}

describe.each(DIALECTS)('secrets at rest [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  const codes: string[] = [];
  const tokens: string[] = [];
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    // A full flow: wrong key, wrong code, resend, key + code, approval; a key + code refund; a lockout.
    const big = await startRefund(m.terminal, WITH_APPROVAL);
    codes.push(await codeOf(t, big.id));
    await m.terminal.post(`/v1/refunds/${big.id}/authorize`, { refund_key: `${m.demo.refund_key}x` });
    await m.terminal.post(`/v1/refunds/${big.id}/authorize`, { code: wrongCode(codes[0] ?? '000000') });
    await m.terminal.post(`/v1/refunds/${big.id}/resend-code`);
    codes.push(await codeOf(t, big.id));
    await m.terminal.post(`/v1/refunds/${big.id}/authorize`, { refund_key: m.demo.refund_key, code: codes[1] });
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await owner.reauth();
    const approved = await owner.post(`/v1/approvals/${big.id}/approve`);
    if (approved.body.status !== 'succeeded') throw new Error(`flow failed: ${JSON.stringify(approved.body)}`);
    const medium = await startRefund(m.terminal, KEY_AND_CODE);
    codes.push(await codeOf(t, medium.id));
    await m.terminal.post(`/v1/refunds/${medium.id}/authorize`, { refund_key: m.demo.refund_key, code: codes[2] });
    const locking = await startRefund(m.terminals[1] ?? m.terminal, 1_000);
    for (let i = 0; i < 5; i++)
      await (m.terminals[1] ?? m.terminal).post(`/v1/refunds/${locking.id}/authorize`, { refund_key: 'wrong-key-000' });
    tokens.push(owner.token, owner.csrf, ...m.terminals.flatMap((tc) => [tc.key, tc.session]));
  });
  afterAll(async () => t?.close());

  function secrets(): Array<[string, string]> {
    return [
      ['refund key', m.demo.refund_key],
      ['owner password', m.demo.owner.password],
      ['manager password', m.demo.manager.password],
      ...m.demo.stores.flatMap((s) =>
        s.operators.map((o): [string, string] => [`operator ${o.operator_no} password`, o.password]),
      ),
      ...codes.map((c, i): [string, string] => [`one-time code ${i + 1}`, c]),
      ...tokens.map((tk, i): [string, string] => [`token ${i + 1}`, tk]),
    ];
  }

  it('no table holds a plain one-time code, refund key, password or token', async () => {
    expect(codes).toHaveLength(3);
    const tables = await t.db.introspection.getTables();
    expect(tables.map((tb) => tb.name)).toEqual(
      expect.arrayContaining(['refund_codes', 'refunds', 'outbox', 'audit_log', 'refund_approvals']),
    );
    let rowsRead = 0;
    for (const table of tables) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(t.db);
      for (const row of rows) {
        rowsRead++;
        const text = JSON.stringify(row);
        for (const [what, secret] of secrets()) {
          expect(containsSecret(text, secret), `${what} found in ${table.name}: ${text.slice(0, 200)}`).toBe(false);
        }
      }
    }
    expect(rowsRead).toBeGreaterThan(50);
  });

  it('no log line holds one either', () => {
    expect(t.logs.length).toBeGreaterThan(10);
    for (const line of t.logs) {
      for (const [what, secret] of secrets())
        expect(containsSecret(line, secret), `${what} in log: ${line.slice(0, 200)}`).toBe(false);
    }
  });

  it('the self-check would notice a plain code', () => {
    const code = codes[0] ?? '';
    expect(containsSecret(JSON.stringify({ payload: `your code ${code}` }), code)).toBe(true);
    expect(containsSecret(JSON.stringify({ at: Number(`17${code}123`) }), code)).toBe(false);
  });
});
