// Issue 3 item 5 / PRODUCT.md "Beyond": velocity alert — by default 3 refunds by one operator within 10 minutes
// queue a `velocity_alert` to the owner (SMS and e-mail), once per burst.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { ownerSession, setPolicy, startRefund } from './authz-helpers.js';

describe.each(DIALECTS)('refund velocity alert [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
  });
  afterAll(async () => t?.close());

  const alertsOf = async (m: SeededMerchant) =>
    (await t.services.outbox.listFor(undefined, 1000)).filter(
      (r) => r.template === 'velocity_alert' && r.merchant_id === m.demo.merchant_id,
    );

  it('3 refunds by one operator within 10 minutes alert the owner once', async () => {
    const m = await t.seedMerchant();
    await startRefund(m.terminal, 1_000);
    t.clock.advance(4 * 60_000);
    await startRefund(m.terminal, 1_000);
    expect(await alertsOf(m)).toHaveLength(0);
    t.clock.advance(4 * 60_000);
    await startRefund(m.terminals[1] ?? m.terminal, 1_000); // same operator, another terminal of the store
    const alerts = await alertsOf(m);
    expect(alerts.map((a) => a.channel).sort()).toEqual(['email', 'sms']);
    expect(alerts.map((a) => a.recipient)).toContain(m.demo.owner.login);
    const first = alerts[0];
    if (!first) throw new Error('alert queued');
    expect(t.services.outbox.parameters(first)).toMatchObject({ count: 3, window_minutes: 10 });
    await startRefund(m.terminal, 1_000);
    expect(await alertsOf(m)).toHaveLength(2);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('event')
      .where('merchant_id', '=', m.demo.merchant_id)
      .where('event', '=', 'refund.velocity_alert')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('refunds spread over more than 10 minutes do not alert', async () => {
    const m = await t.seedMerchant();
    for (let i = 0; i < 3; i++) {
      await startRefund(m.terminal, 1_000);
      t.clock.advance(5 * 60_000 + 1);
    }
    expect(await alertsOf(m)).toHaveLength(0);
  });

  it('the owner can tighten the velocity rule per store', async () => {
    const m = await t.seedMerchant();
    const owner = await ownerSession(t, m.demo);
    await setPolicy(owner, m.terminal.storeId, { velocity: { count: 2, window_minutes: 30 } });
    await startRefund(m.terminal, 1_000);
    t.clock.advance(20 * 60_000);
    await startRefund(m.terminal, 1_000);
    expect(await alertsOf(m)).toHaveLength(2);
  });
});
