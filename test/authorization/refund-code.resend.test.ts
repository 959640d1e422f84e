// docs/security.md "Refund authorization" — resend issues a new code and invalidates the old; at most 3 codes per refund;
// the failure count is per refund and is not reset by a resend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { seededRandom } from '../support/seeded-random.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { codeOf, KEY_AND_CODE, startRefund, wrongCode } from './authz-helpers.js';

describe.each(DIALECTS)('refund code resend [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    // Seeded, so that the resent code is known to differ from the first (a CSPRNG repeats it once in 10^6 runs).
    t = await TestApp.start(dialect, { random: seededRandom(11) });
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('the old code is refused, the new one works, and the failure count is kept', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const first = await codeOf(t, refund.id);
    for (let i = 1; i <= 2; i++) {
      const wrong = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { code: wrongCode(first, i) });
      expect(wrong.body.error.code).toBe('CODE_INVALID');
    }
    t.clock.advance(60_000);
    const resent = await m.terminal.post(`/v1/refunds/${refund.id}/resend-code`);
    expect(resent.status).toBe(200);
    expect(resent.body.authorization.attempts_left).toBe(3);
    expect(Date.parse(resent.body.authorization.code_expires_at)).toBe(t.clock.now() + 5 * 60_000);
    const second = await codeOf(t, refund.id);

    const beforeOld = await t.checksum();
    const old = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: first,
    });
    // The old code stops working, and trying it changes nothing but its counted failure.
    expect(second).not.toBe(first);
    expect(old.status).toBe(422);
    expect(old.body.error).toMatchObject({ code: 'CODE_INVALID', attempts_left: 2 });
    expect(await t.changedSince(beforeOld)).toEqual([]);
    const done = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: second,
    });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('succeeded');
  });

  it('a 4th code is refused with a code, and the failure count never resets', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const first = await codeOf(t, refund.id);
    await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { code: wrongCode(first) });
    for (const expectedLeft of [4, 4]) {
      const resent = await m.terminal.post(`/v1/refunds/${refund.id}/resend-code`);
      expect(resent.status).toBe(200);
      expect(resent.body.authorization.attempts_left).toBe(expectedLeft);
    }
    const before = await t.checksum();
    const fourth = await m.terminal.post(`/v1/refunds/${refund.id}/resend-code`);
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('CODE_RESEND_LIMIT');
    expect(await t.changedSince(before)).toEqual([]);
    const codes = await t.db.selectFrom('refund_codes').select('seq').where('refund_id', '=', refund.id).execute();
    expect(codes).toHaveLength(3);
    // The third code still works after the refused 4th.
    const done = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(t, refund.id),
    });
    expect(done.body.status).toBe('succeeded');
  });

  it('concurrent resends never issue more than 3 codes', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => m.terminal.post(`/v1/refunds/${refund.id}/resend-code`)),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(6);
    expect(tally(answers)).toEqual({ '200': 2, '429 CODE_RESEND_LIMIT': 6 });
    const codes = await t.db.selectFrom('refund_codes').select('seq').where('refund_id', '=', refund.id).execute();
    expect(codes.map((c) => Number(c.seq)).sort()).toEqual([1, 2, 3]);
  });

  it('a refund that needs no code has none to resend', async () => {
    const refund = await startRefund(m.terminal, 5_000);
    const before = await t.checksum();
    const answer = await m.terminal.post(`/v1/refunds/${refund.id}/resend-code`);
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('CODE_NOT_REQUIRED');
    expect(await t.changedSince(before)).toEqual([]);
  });
});
