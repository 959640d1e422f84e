// Issue 13 item 4: what the console's staff, stores and terminals pages read. The terminals of a store (never a key or
// an activation code), the operator numbers of the stores in one's scope, and the merchant's rate plan — each only for
// those who may see it; another merchant's or store's is answered as if it did not exist, and a refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import type { StaffClient } from '../support/staff-client.js';
import type { Answer, TestApp as TestAppType } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { hire, NEW_PASSWORD, provisionedMerchant, signedInAdmin } from './provisioning-helpers.js';

describe.each(DIALECTS)('console lists: terminals, operators, rate plan [%s]', (dialect) => {
  let t: TestAppType;
  let admin: StaffClient;
  let m: Awaited<ReturnType<typeof provisionedMerchant>>;
  let other: Awaited<ReturnType<typeof provisionedMerchant>>;
  let secondStoreId: string;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    t.secrets.add('password', NEW_PASSWORD);
    admin = await signedInAdmin(t);
    m = await provisionedMerchant(t, admin);
    other = await provisionedMerchant(t, admin);
    secondStoreId = (await m.owner.post('/v1/stores', { name: '二号店' })).body.id;
  });
  afterAll(async () => t?.close());

  /** The answer must be this refusal, and nothing may have changed. */
  async function refused(send: () => Promise<Answer>, status: number, code: string) {
    const before = await t.checksum();
    const answer = await send();
    expect([answer.status, answer.body?.error?.code], JSON.stringify(answer.body)).toEqual([status, code]);
    expect(await t.changedSince(before)).toEqual([]);
  }

  it('a store’s terminals: pending, active and retired, with their times, never a key or code', async () => {
    const made = [];
    for (const name of ['收银台 1', '收银台 2', '收银台 3']) {
      const answer = await m.owner.post(`/v1/stores/${m.storeId}/terminals`, { name });
      expect(answer.status).toBe(201);
      t.secrets.add('activation code', answer.body.activation_code);
      made.push(answer.body);
      t.clock.advance(1_000);
    }
    const activated = await t.request('POST', '/v1/terminals/activate', {
      body: { activation_code: made[1].activation_code },
    });
    expect(activated.status).toBe(201);
    await m.owner.reauth();
    expect((await m.owner.post(`/v1/terminals/${made[2].id}/retire`)).status).toBe(200);

    const list = await m.owner.get(`/v1/stores/${m.storeId}/terminals`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((x: { name: string; status: string }) => [x.name, x.status])).toEqual([
      ['收银台 1', 'pending'],
      ['收银台 2', 'active'],
      ['收银台 3', 'retired'],
    ]);
    const [pending, active] = list.body.data;
    expect(pending.activation_expires_at).toBe(made[0].activation_expires_at);
    expect(pending.activated_at).toBeNull();
    expect(active.activated_at).toEqual(expect.any(String));
    expect(active.activation_expires_at).toBeNull();
    const text = JSON.stringify(list.body);
    for (const secret of [...made.map((x) => x.activation_code), activated.body.terminal_key]) {
      expect(text).not.toContain(secret);
    }
    expect((await m.owner.get(`/v1/stores/${secondStoreId}/terminals`)).body.data).toEqual([]);
  });

  it('terminals: a manager sees their own store only; another merchant’s store does not exist; cashiers may not', async () => {
    const manager = await hire(t, m.owner, 'manager', [secondStoreId]);
    expect((await manager.client.get(`/v1/stores/${secondStoreId}/terminals`)).status).toBe(200);
    await refused(() => manager.client.get(`/v1/stores/${m.storeId}/terminals`), 404, 'NOT_FOUND');
    await refused(() => other.owner.get(`/v1/stores/${m.storeId}/terminals`), 404, 'NOT_FOUND');
    await refused(() => m.owner.get('/v1/stores/sto_nothing/terminals'), 404, 'NOT_FOUND');
    const cashier = await hire(t, m.owner, 'cashier', [m.storeId]);
    await refused(() => cashier.client.get(`/v1/stores/${m.storeId}/terminals`), 403, 'FORBIDDEN');
  });

  it('operators: the owner sees every store’s, a manager only their stores’, filtered by store on request', async () => {
    const first = await hire(t, m.owner, 'cashier', [m.storeId]);
    const second = await hire(t, m.owner, 'cashier', [secondStoreId]);
    for (const [person, store, no] of [
      [first, m.storeId, '12'],
      [second, secondStoreId, '03'],
    ] as const) {
      const made = await m.owner.post('/v1/operators', {
        store_id: store,
        staff_id: person.id,
        operator_no: no,
        permissions: { may_refund: false, may_void: true, may_settle: true, refund_cap: 5_000 },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    const all = await m.owner.get('/v1/operators');
    expect(all.status).toBe(200);
    const pairs = all.body.data.map((o: { store_id: string; operator_no: string }) => `${o.store_id}/${o.operator_no}`);
    expect(pairs).toEqual(expect.arrayContaining([`${m.storeId}/12`, `${secondStoreId}/03`]));
    const one = await m.owner.get(`/v1/operators?store_id=${m.storeId}`);
    expect(one.body.data.map((o: { operator_no: string }) => o.operator_no)).toEqual(['12']);
    expect(one.body.data[0]).toMatchObject({
      staff_id: first.id,
      status: 'active',
      permissions: { may_refund: false, may_void: true, may_settle: true, refund_cap: 5_000 },
    });
    expect(JSON.stringify(all.body)).not.toMatch(/password/);

    const manager = await hire(t, m.owner, 'manager', [secondStoreId]);
    const mine = await manager.client.get('/v1/operators');
    expect(mine.body.data.map((o: { store_id: string }) => o.store_id)).toEqual([secondStoreId]);
    await refused(() => manager.client.get(`/v1/operators?store_id=${m.storeId}`), 404, 'NOT_FOUND');
    await refused(() => other.owner.get(`/v1/operators?store_id=${m.storeId}`), 404, 'NOT_FOUND');
    expect((await other.owner.get('/v1/operators')).body.data).toEqual([]);
    await refused(() => m.owner.get('/v1/operators?store=x'), 400, 'VALIDATION_FAILED');
    await refused(() => first.client.get('/v1/operators'), 403, 'FORBIDDEN');
  });

  it('the rate plan: the owner reads their own, the admin any; another owner gets 404, a manager 403', async () => {
    const mine = await m.owner.get(`/v1/merchants/${m.merchantId}/rate-plan`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ merchant_id: m.merchantId, rate_plan_id: 'standard' });
    expect(mine.body.rate_plan.bank_card).toEqual({ bps: expect.any(Number), cap: expect.anything() });
    expect((await admin.post(`/v1/merchants/${m.merchantId}/rate-plan`, { rate_plan_id: 'mall' })).status).toBe(200);
    const changed = await m.owner.get(`/v1/merchants/${m.merchantId}/rate-plan`);
    expect(changed.body).toMatchObject({
      rate_plan_id: 'mall',
      name: '商场专柜 Mall counter',
      rate_plan: { bank_card: { bps: 55, cap: 2500 } },
    });
    expect((await admin.get(`/v1/merchants/${m.merchantId}/rate-plan`)).body.rate_plan_id).toBe('mall');
    await refused(() => other.owner.get(`/v1/merchants/${m.merchantId}/rate-plan`), 404, 'NOT_FOUND');
    await refused(() => admin.get('/v1/merchants/mer_nothing/rate-plan'), 404, 'NOT_FOUND');
    const manager = await hire(t, m.owner, 'manager', null);
    await refused(() => manager.client.get(`/v1/merchants/${m.merchantId}/rate-plan`), 403, 'FORBIDDEN');
  });
});
