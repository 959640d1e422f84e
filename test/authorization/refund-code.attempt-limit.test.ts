// docs/security.md "Refund authorization" — Wrong entries: 5 per code, then the code is burned (PSD2 Art. 4; NIST 800-63B-4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { codeOf, KEY_AND_CODE, startRefund, wrongCode } from './authz-helpers.js';

describe.each(DIALECTS)('refund code attempt limit [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
  });
  afterAll(async () => t?.close());

  it('counts wrong codes one by one with attempts_left, then burns the code', async () => {
    const m: SeededMerchant = await t.seedMerchant();
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    for (let i = 1; i <= 4; i++) {
      const beforeWrong = await t.checksum();
      const wrong = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
        refund_key: m.demo.refund_key,
        code: wrongCode(code, i),
      });
      expect(wrong.status).toBe(422);
      expect(wrong.body.error).toMatchObject({ code: 'CODE_INVALID', attempts_left: 5 - i });
      expect(await t.changedSince(beforeWrong)).toEqual([]);
    }
    const fifth = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { code: wrongCode(code, 5) });
    expect(fifth.status).toBe(422);
    expect(fifth.body.error).toMatchObject({ code: 'CODE_BURNED', attempts_left: 0 });
    const beforeCorrect = await t.checksum();
    const correct = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code,
    });
    expect(correct.status).toBe(422);
    expect(correct.body.error.code).toBe('CODE_BURNED');
    expect(await t.changedSince(beforeCorrect)).toEqual([]);
    const view = await m.terminal.get(`/v1/refunds/${refund.id}`);
    expect(view.body.authorization.attempts_left).toBe(0);
    expect(view.body.status).toBe('requires_authorization');
  });

  it('50 concurrent wrong guesses: at most 5 count, then the code is refused even when correct', async () => {
    const m: SeededMerchant = await t.seedMerchant();
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { code: wrongCode(code, (i % 9) + 1) }),
      ),
    );
    const statuses = answers.map((a) => `${a.status} ${a.body.error.code}`);
    expect(statuses.filter((s) => s === '422 CODE_INVALID')).toHaveLength(4);
    expect(statuses.filter((s) => s === '422 CODE_BURNED')).toHaveLength(46);
    const burned = await t.db
      .selectFrom('attempt_limits')
      .selectAll()
      .where('scope', '=', `refund_code:${refund.id}`)
      .executeTakeFirstOrThrow();
    expect(Number(burned.locked_until)).toBeGreaterThan(t.clock.now() + 100 * 365 * 86_400_000);
    const counted = await t.db
      .selectFrom('audit_log')
      .select('seq')
      .where('event', '=', 'refund.code_wrong')
      .where('object_id', '=', refund.id)
      .execute();
    expect(counted).toHaveLength(5);

    const beforeCorrect = await t.checksum();
    const correct = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code,
    });
    expect(correct.status).toBe(422);
    expect(correct.body.error.code).toBe('CODE_BURNED');
    expect(await t.changedSince(beforeCorrect)).toEqual([]);
    const sale = await m.terminal.get(`/v1/sales/${refund.sale_id}`);
    expect(sale.body.refunded_amount).toBe(0);
  });
});
