// docs/security.md "Passwords and refund keys": a reminder 7 days before the key is 90 days old; after 90 days `status().expired`
// (the refund then also needs a one-time code) (PCI DSS 8.3.9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/databases.js';
import { StaffClient } from '../../../test/support/staff-client.js';
import { type SeededMerchant, TestApp } from '../../../test/support/test-app.js';
import { DAY } from '../../lib/clock.js';

describe.each(DIALECTS)('refund key age [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const set = await owner.post('/v1/refund-key', {
      new_key: 'Lotus-Meadow-Nickel-36',
      confirm_key: 'Lotus-Meadow-Nickel-36',
    });
    if (set.status !== 200) throw new Error(JSON.stringify(set.body));
  });
  afterAll(async () => t?.close());

  const reminders = () => t.db.selectFrom('outbox').selectAll().where('template', '=', 'key_age_reminder').execute();

  it('sends no reminder before day 83', async () => {
    t.clock.advance(83 * DAY - 1);
    expect(await t.services.refundKeys.remindExpiring()).toBe(0);
    expect(await reminders()).toHaveLength(0);
  });

  it('reminds the owner once, 7 days before the key is 90 days old, even when asked twice at once', async () => {
    t.clock.advance(1);
    const [a, b] = await Promise.all([t.services.refundKeys.remindExpiring(), t.services.refundKeys.remindExpiring()]);
    expect(a + b).toBe(1);
    expect(await t.services.refundKeys.remindExpiring()).toBe(0);
    const queued = await reminders();
    expect(queued.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
    expect(queued.every((r) => r.merchant_id === m.demo.merchant_id)).toBe(true);
    const audited = await t.db.selectFrom('audit_log').selectAll().where('event', '=', 'refund_key.reminder').execute();
    expect(audited).toHaveLength(1);
  });

  it('is not expired at exactly 90 days, expired just after', async () => {
    t.clock.advance(7 * DAY);
    expect((await t.services.refundKeys.status(m.demo.merchant_id, m.terminal.storeId)).expired).toBe(false);
    t.clock.advance(1);
    expect((await t.services.refundKeys.status(m.demo.merchant_id, m.terminal.storeId)).expired).toBe(true);
    // An expired key still verifies; the refund flow then asks for a one-time code as well.
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, m.terminal.storeId, 'Lotus-Meadow-Nickel-36')).toBe(
      true,
    );
  });

  it('a new key starts a new age', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const answer = await owner.post('/v1/refund-key', {
      new_key: 'Mango-Nebula-Oak-47',
      confirm_key: 'Mango-Nebula-Oak-47',
    });
    expect(answer.status).toBe(200);
    expect((await t.services.refundKeys.status(m.demo.merchant_id, m.terminal.storeId)).expired).toBe(false);
  });
});
