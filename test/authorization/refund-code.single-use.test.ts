// docs/security.md "Refund authorization" — Use: once, atomically: of N concurrent correct submissions exactly one succeeds (ASVS 5.0 6.5.1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { codeOf, KEY_AND_CODE, startRefund } from './authz-helpers.js';

describe.each(DIALECTS)('refund code single use [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('issues a code for a key + code refund, shown masked with its expiry and attempts', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    expect(refund.authorization.required).toEqual(['refund_key', 'one_time_code']);
    expect(refund.authorization.code_sent_to).toEqual(expect.arrayContaining(['138****8000', '139****9000']));
    expect(refund.authorization.code_sent_to).toContainEqual(expect.stringMatching(/^o\*\*\*@demo\.refundkey\.test$/));
    expect(refund.authorization.attempts_left).toBe(5);
    expect(Date.parse(String(refund.authorization.code_expires_at)) - t.clock.now()).toBe(5 * 60_000);
    expect(refund.expires_at).toBe(refund.authorization.code_expires_at);
    expect(await codeOf(t, refund.id)).toMatch(/^\d{6}$/);
  });

  it('20 concurrent correct submissions: exactly one succeeds and the refund is applied once', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code }),
      ),
    );
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]?.body.status).toBe('succeeded');
    // More than 5 keys at once on one terminal are refused before checking (docs/security.md "Attempt limits"),
    // with the locked answer; the others lose the race for the code or the refund.
    const refusedAll = answers.filter((a) => a.status !== 200);
    expect(refusedAll).toHaveLength(19);
    for (const refused of refusedAll) {
      expect(`${refused.status} ${refused.body.error.code}`).toMatch(
        /^(409 REFUND_NOT_AUTHORIZABLE|409 CODE_ALREADY_USED|422 REFUND_NOT_AUTHORIZABLE|423 REFUNDS_LOCKED)$/,
      );
    }
    const sale = await m.terminal.get(`/v1/sales/${refund.sale_id}`);
    expect(sale.body.refunded_amount).toBe(KEY_AND_CODE);
    expect(sale.body.refundable_amount).toBe(0);
    // Used once: a later submission of the same code is refused too.
    const before = await t.checksum();
    const again = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REFUND_NOT_AUTHORIZABLE');
    expect(await t.changedSince(before)).toEqual([]);
    // Right keys, however many at once, never lock the terminal.
    const next = await startRefund(m.terminal, 1_000);
    const done = await m.terminal.post(`/v1/refunds/${next.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(done.body.status).toBe('succeeded');
  });

  it('the key alone does not complete a refund that needs a code; the code then does', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const keyOnly = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(keyOnly.status).toBe(200);
    expect(keyOnly.body.status).toBe('requires_authorization');
    expect(keyOnly.body.authorization.satisfied).toEqual(['refund_key']);
    const done = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { code: await codeOf(t, refund.id) });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('succeeded');
    expect(done.body.authorization.satisfied).toEqual(['refund_key', 'one_time_code']);
  });
});
