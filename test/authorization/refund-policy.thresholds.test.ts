// PRODUCT.md "Case large mall" and issue 3 item 5: thresholds select the factors (defaults: ≤ ¥200 the refund key
// alone; ≤ ¥2,000 key + code; above, key + code + approval); a pin-policy or expired key also needs a code
// (docs/security.md "Passwords and refund keys"); voids follow the same policies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../src/lib/clock.js';
import { DEFAULT_REFUND_POLICY, requiredFactors } from '../../src/modules/authorization/refund-policy.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { ownerSession, setPolicy, startRefund } from './authz-helpers.js';

describe('refund policy thresholds (pure)', () => {
  it('a pin-policy key or an expired key adds the one-time code', () => {
    expect(requiredFactors(DEFAULT_REFUND_POLICY, 100, { policy: 'password', expired: false })).toEqual(['refund_key']);
    expect(requiredFactors(DEFAULT_REFUND_POLICY, 100, { policy: 'pin', expired: false })).toEqual([
      'refund_key',
      'one_time_code',
    ]);
    expect(requiredFactors(DEFAULT_REFUND_POLICY, 100, { policy: 'password', expired: true })).toEqual([
      'refund_key',
      'one_time_code',
    ]);
  });
});

describe.each(DIALECTS)('refund policy thresholds [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('the default thresholds select the right factors at their exact boundaries', async () => {
    const cases: Array<[number, string[]]> = [
      [20_000, ['refund_key']],
      [20_001, ['refund_key', 'one_time_code']],
      [200_000, ['refund_key', 'one_time_code']],
      [200_001, ['refund_key', 'one_time_code', 'approval']],
    ];
    for (const [amount, required] of cases) {
      const refund = await startRefund(m.terminal, amount);
      expect(refund.authorization.required, `amount ${amount}`).toEqual(required);
      expect(refund.authorization.code_sent_to.length > 0).toBe(required.includes('one_time_code'));
    }
  });

  it('voids follow the same thresholds', async () => {
    const sale = await m.terminal.sale(50_000);
    const voided = await m.terminal.post('/v1/refunds', {
      sale_id: sale.id,
      amount: 50_000,
      reason: '撤销 void',
      type: 'void',
    });
    expect(voided.status).toBe(201);
    expect(voided.body.authorization.required).toEqual(['refund_key', 'one_time_code']);
  });

  it('the owner sets a store’s thresholds; managers may read but not change them', async () => {
    const storeId = m.terminal.storeId;
    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    await manager.reauth();
    const read = await manager.get(`/v1/stores/${storeId}/refund-policy`);
    expect(read.status).toBe(200);
    expect(read.body.policy.thresholds).toEqual({ key_only_max: 20_000, key_and_code_max: 200_000 });
    expect(
      (
        await manager.post(`/v1/stores/${storeId}/refund-policy`, {
          thresholds: { key_only_max: 0, key_and_code_max: 0 },
        })
      ).status,
    ).toBe(403);

    const owner = await ownerSession(t, m.demo);
    const beforeInvalid = await t.checksum();
    const invalid = await owner.post(`/v1/stores/${storeId}/refund-policy`, {
      thresholds: { key_only_max: 5_000, key_and_code_max: 1_000 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    expect(await t.changedSince(beforeInvalid)).toEqual([]);
    await setPolicy(owner, storeId, { thresholds: { key_only_max: 1_000, key_and_code_max: 5_000 } });
    expect((await startRefund(m.terminal, 1_000)).authorization.required).toEqual(['refund_key']);
    expect((await startRefund(m.terminal, 2_000)).authorization.required).toEqual(['refund_key', 'one_time_code']);
    expect((await startRefund(m.terminal, 6_000)).authorization.required).toEqual([
      'refund_key',
      'one_time_code',
      'approval',
    ]);
    // The other store keeps the defaults.
    const otherStore = m.terminals[2];
    if (!otherStore) throw new Error('seed has a second store');
    expect((await startRefund(otherStore, 6_000)).authorization.required).toEqual(['refund_key']);
    await setPolicy(owner, storeId, {});
  });

  it('an expired refund key (over 90 days) needs a one-time code as well', async () => {
    // The key was set 91 days ago (moving the clock instead would end every session of the test).
    await t.db
      .updateTable('refund_keys')
      .set((eb) => ({ set_at: eb('set_at', '-', 91 * DAY) }))
      .where('merchant_id', '=', m.demo.merchant_id)
      .execute();
    await t.db
      .updateTable('merchants')
      .set({ refund_key_set_at: t.clock.now() - 91 * DAY })
      .where('id', '=', m.demo.merchant_id)
      .execute();
    expect((await t.services.refundKeys.status(m.demo.merchant_id, m.terminal.storeId)).expired).toBe(true);
    const other = m.terminals[2];
    if (!other) throw new Error('seed has a second store');
    const refund = await startRefund(other, 1_000);
    expect(refund.authorization.required).toEqual(['refund_key', 'one_time_code']);
  });
});
