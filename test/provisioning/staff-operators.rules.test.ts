// Issue 12 item 2: who may create and manage whom (owner: everyone; manager: cashiers of their stores), operators that
// belong to one staff member with the initial password sent only to that person, terminals re-coded and retired,
// disabled staff locked out everywhere, operator permissions enforced on the terminal routes. Item 7: every change is
// audited, and every refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { outcome } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { CARD_OK, TerminalClient, TestApp } from '../support/test-app.js';
import {
  hire,
  NEW_PASSWORD,
  newLogin,
  newPhone,
  provisionedMerchant,
  secretSentTo,
  signedInAdmin,
} from './provisioning-helpers.js';

describe.each(DIALECTS)('staff, operators and terminals [%s]', (dialect) => {
  let t: TestApp;
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
  async function refused(
    send: () => Promise<{ status: number; body: { error?: { code: string } } }>,
    status: number,
    code: string,
  ) {
    const before = await t.checksum();
    const answer = await send();
    expect([answer.status, answer.body.error?.code], JSON.stringify(answer.body)).toEqual([status, code]);
    expect(await t.changedSince(before)).toEqual([]);
  }

  /** An activated terminal of the first store with `operatorNo` of a new cashier signed in. */
  async function tillWithOperator(operatorNo: string, permissions?: Record<string, unknown>) {
    const cashier = await hire(t, m.owner, 'cashier', [m.storeId]);
    const created = await m.owner.post('/v1/operators', {
      store_id: m.storeId,
      staff_id: cashier.id,
      operator_no: operatorNo,
      ...(permissions ? { permissions } : {}),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const password = await secretSentTo(t, cashier.phone, 'operator_password', 'password');
    const terminal = await m.owner.post(`/v1/stores/${m.storeId}/terminals`, {});
    t.secrets.add('activation code', terminal.body.activation_code);
    const activated = await t.request('POST', '/v1/terminals/activate', {
      body: { activation_code: terminal.body.activation_code },
    });
    const key = activated.body.terminal_key as string;
    const session = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: operatorNo, password },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(session.status).toBe(201);
    return {
      cashier,
      operatorId: created.body.id as string,
      password,
      till: new TerminalClient(t, terminal.body.id, m.storeId, key, session.body.operator_session),
    };
  }

  it('a manager adds cashiers of their own stores only; nobody else’s role or store', async () => {
    const manager = await hire(t, m.owner, 'manager', [m.storeId]);
    const ok = await manager.client.post('/v1/staff', {
      login: newLogin('cashier'),
      name: '收银员',
      role: 'cashier',
      phone: newPhone(),
      store_ids: [m.storeId],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const person = { login: newLogin('x'), name: 'X', phone: newPhone() };
    await refused(
      () => manager.client.post('/v1/staff', { ...person, role: 'manager', store_ids: [m.storeId] }),
      403,
      'ROLE_NOT_ALLOWED',
    );
    await refused(
      () => manager.client.post('/v1/staff', { ...person, role: 'cashier', store_ids: [secondStoreId] }),
      404,
      'NOT_FOUND',
    );
    await refused(
      () => manager.client.post('/v1/staff', { ...person, role: 'cashier', store_ids: null }),
      422,
      'STAFF_STORES_INVALID',
    );
    await refused(
      () => m.owner.post('/v1/staff', { ...person, role: 'cashier', store_ids: [other.storeId] }),
      404,
      'NOT_FOUND',
    );
    await refused(
      () => m.owner.post('/v1/staff', { ...person, login: manager.login, role: 'cashier' }),
      409,
      'LOGIN_TAKEN',
    );
    await refused(
      () => m.owner.post('/v1/staff', { login: newLogin('x'), name: 'X', role: 'cashier' }),
      400,
      'VALIDATION_FAILED',
    );
    // The manager's list holds the cashiers of their store, not the owner or themselves.
    const listed = await manager.client.get('/v1/staff');
    expect(listed.body.data.map((s: { role: string }) => s.role)).toEqual(['cashier']);
  });

  it('an operator belongs to one staff member of that store, with a phone; numbers are unique per store', async () => {
    const cashier = await hire(t, m.owner, 'cashier', [m.storeId]);
    const body = { store_id: m.storeId, staff_id: cashier.id, operator_no: '07' };
    expect((await m.owner.post('/v1/operators', body)).status).toBe(201);
    await refused(() => m.owner.post('/v1/operators', body), 409, 'OPERATOR_NO_TAKEN');
    await refused(
      () => m.owner.post('/v1/operators', { ...body, store_id: secondStoreId, operator_no: '08' }),
      422,
      'STAFF_NOT_IN_STORE',
    );
    const mailOnly = await m.owner.post('/v1/staff', {
      login: newLogin('cashier'),
      name: '只有邮箱',
      role: 'cashier',
      email: newLogin('mail'),
    });
    await refused(
      () => m.owner.post('/v1/operators', { ...body, staff_id: mailOnly.body.id, operator_no: '09' }),
      422,
      'STAFF_PHONE_MISSING',
    );
    const foreign = await hire(t, other.owner, 'cashier', null);
    await refused(
      () => m.owner.post('/v1/operators', { ...body, staff_id: foreign.id, operator_no: '10' }),
      404,
      'NOT_FOUND',
    );
    await refused(
      () => other.owner.post('/v1/operators', { ...body, staff_id: foreign.id, operator_no: '10' }),
      404,
      'NOT_FOUND',
    );
    await refused(() => m.owner.post('/v1/operators', { ...body, operator_no: '100' }), 400, 'VALIDATION_FAILED');
    const row = await t.db
      .selectFrom('operators')
      .select('staff_id')
      .where('operator_no', '=', '07')
      .executeTakeFirstOrThrow();
    expect(row.staff_id).toBe(cashier.id);
  });

  it('operator permissions hold on the terminal routes; a refusal changes nothing', async () => {
    const { till, operatorId } = await tillWithOperator('11', {
      may_refund: false,
      may_void: false,
      may_settle: false,
    });
    const sale = await till.sale(5_000);
    await refused(
      () => till.post('/v1/refunds', { sale_id: sale.id, amount: 1_000, reason: 'x' }),
      403,
      'OPERATOR_NOT_PERMITTED',
    );
    await refused(
      () => till.post('/v1/refunds', { sale_id: sale.id, amount: 5_000, reason: 'x', type: 'void' }),
      403,
      'OPERATOR_NOT_PERMITTED',
    );
    await refused(() => till.post('/v1/settlements', { allow_empty: true }), 403, 'OPERATOR_NOT_PERMITTED');

    const set = await m.owner.post(`/v1/operators/${operatorId}/permissions`, {
      may_refund: true,
      may_void: false,
      may_settle: true,
      refund_cap: 1_000,
    });
    expect(set.status).toBe(200);
    expect(set.body.permissions).toEqual({ may_refund: true, may_void: false, may_settle: true, refund_cap: 1_000 });
    await refused(
      () => till.post('/v1/refunds', { sale_id: sale.id, amount: 1_001, reason: 'x' }),
      422,
      'OPERATOR_REFUND_CAP_EXCEEDED',
    );
    expect((await till.post('/v1/refunds', { sale_id: sale.id, amount: 1_000, reason: 'x' })).status).toBe(201);
    expect((await till.post('/v1/settlements', { allow_empty: true })).status).toBe(201);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'detail'])
      .where('event', '=', 'operator.permissions_changed')
      .where('object_id', '=', operatorId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_id).toBe(m.owner.user.id);
    // Another merchant's owner cannot touch them.
    await refused(() => other.owner.post(`/v1/operators/${operatorId}/permissions`, {}), 404, 'NOT_FOUND');
  });

  it('disabling a person ends their sessions, login and operator numbers; enabling gives them back', async () => {
    const { cashier, till, password } = await tillWithOperator('12');
    await m.owner.reauth();
    const disabled = await m.owner.post(`/v1/staff/${cashier.id}/disable`);
    expect(disabled.body.status).toBe('disabled');
    const signIn = () =>
      t.request('POST', '/v1/operator-sessions', {
        body: { operator_no: '12', password },
        headers: { authorization: `Bearer ${till.key}` },
      });
    // Each way back in is refused with its own credential's code, and none of the four changes a row (only the
    // wrong-entry records docs/security.md requires may move: REFUSAL_MAY_CHANGE).
    const before = await t.checksum();
    expect(outcome(await cashier.client.get('/v1/auth/me'))).toBe('401 UNAUTHENTICATED');
    expect(
      outcome(await t.request('POST', '/v1/auth/login', { body: { login: cashier.login, password: NEW_PASSWORD } })),
    ).toBe('401 LOGIN_FAILED');
    expect(outcome(await till.post('/v1/sales', { amount: 100, currency: 'CNY', payment_method: CARD_OK }))).toBe(
      '401 OPERATOR_SESSION_REQUIRED',
    );
    expect(outcome(await signIn())).toBe('401 OPERATOR_CREDENTIALS_INVALID');
    expect(await t.changedSince(before)).toEqual([]);
    await refused(() => m.owner.post(`/v1/staff/${m.owner.user.id}/disable`), 409, 'CANNOT_DISABLE_SELF');

    expect((await m.owner.post(`/v1/staff/${cashier.id}/enable`)).body.status).toBe('active');
    await StaffClient.signIn(t, cashier.login, NEW_PASSWORD);
    expect((await signIn()).status).toBe(201);
    const events = await t.db
      .selectFrom('audit_log')
      .select('event')
      .where('object_id', '=', cashier.id)
      .where('event', 'in', ['staff.disabled', 'staff.enabled'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.event)).toEqual(['staff.disabled', 'staff.enabled']);
  });

  it('a reissued activation code replaces the old one; a retired terminal’s key stops working', async () => {
    const { till } = await tillWithOperator('13');
    const fresh = await m.owner.post(`/v1/stores/${m.storeId}/terminals`, { name: 'POS 备用' });
    const reissued = await m.owner.post(`/v1/terminals/${fresh.body.id}/activation-code`);
    expect(reissued.status).toBe(200);
    t.secrets.add('activation code', fresh.body.activation_code);
    t.secrets.add('activation code', reissued.body.activation_code);
    await refused(
      () => t.request('POST', '/v1/terminals/activate', { body: { activation_code: fresh.body.activation_code } }),
      400,
      'ACTIVATION_CODE_INVALID',
    );
    expect(
      (await t.request('POST', '/v1/terminals/activate', { body: { activation_code: reissued.body.activation_code } }))
        .status,
    ).toBe(201);

    expect((await till.sale(100)).status).toBe('succeeded');
    await m.owner.reauth();
    const retired = await m.owner.post(`/v1/terminals/${till.id}/retire`);
    expect([retired.status, retired.body.status]).toEqual([200, 'retired']);
    const beforeRetiredKey = await t.checksum();
    const after = await till.post('/v1/sales', { amount: 100, currency: 'CNY', payment_method: CARD_OK });
    expect([after.status, after.body.error.code]).toEqual([401, 'TERMINAL_KEY_INVALID']);
    expect(await t.changedSince(beforeRetiredKey)).toEqual([]);
    await refused(() => m.owner.post(`/v1/terminals/${till.id}/activation-code`), 409, 'TERMINAL_RETIRED');
    await refused(() => other.owner.post(`/v1/terminals/${fresh.body.id}/activation-code`), 404, 'NOT_FOUND');
  });

  it('rate plans: listed, assigned by an admin only', async () => {
    const plans = await admin.get('/v1/rate-plans');
    expect(plans.body.data.map((p: { id: string }) => p.id)).toContain('mall');
    const assigned = await admin.post(`/v1/merchants/${m.merchantId}/rate-plan`, { rate_plan_id: 'mall' });
    expect([assigned.status, assigned.body.rate_plan_id]).toEqual([200, 'mall']);
    const merchant = await t.services.merchants.getMerchant(m.merchantId);
    expect(merchant.ratePlan.bank_card.bps).toBe(55);
    await refused(
      () => admin.post(`/v1/merchants/${m.merchantId}/rate-plan`, { rate_plan_id: 'gold' }),
      422,
      'RATE_PLAN_UNKNOWN',
    );
    await refused(
      () => m.owner.post(`/v1/merchants/${m.merchantId}/rate-plan`, { rate_plan_id: 'standard' }),
      403,
      'FORBIDDEN',
    );
  });

  it('sales and refunds lists: filters, limit and starting_after pages; another merchant’s id is no cursor', async () => {
    const { till } = await tillWithOperator('14');
    const sales = [];
    for (const amount of [101, 102, 103, 104, 105]) {
      sales.push(await till.sale(amount));
      if (amount !== 103) t.clock.advance(1_000); // two at the same time: then the id orders them
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await m.owner.get(
        `/v1/sales?terminal_id=${till.id}&limit=2${cursor ? `&starting_after=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((s: { id: string }) => s.id));
      if (!page.body.has_more) break;
      cursor = page.body.data.at(-1).id;
    }
    // Newest first; the two of one millisecond in the database's id order, each exactly once.
    expect(seen).toHaveLength(5);
    expect([seen[0], ...seen.slice(3)]).toEqual([sales[4].id, sales[1].id, sales[0].id]);
    expect(new Set(seen.slice(1, 3))).toEqual(new Set([sales[2].id, sales[3].id]));
    const refund = await till.post('/v1/refunds', { sale_id: sales[0].id, amount: 101, reason: 'x', type: 'void' });
    expect(refund.status).toBe(201);
    const refunds = await m.owner.get(`/v1/refunds?type=void&sale_id=${sales[0].id}`);
    expect(refunds.body.data.map((r: { id: string }) => r.id)).toEqual([refund.body.id]);
    expect(refunds.body.has_more).toBe(false);
    expect((await other.owner.get('/v1/sales')).body.data).toEqual([]);
    const foreignCursor = await other.owner.get(`/v1/sales?starting_after=${sales[0].id}`);
    expect([foreignCursor.status, foreignCursor.body.error.param]).toEqual([400, 'starting_after']);
    // A manager of the second store sees none of the first store's sales.
    const manager = await hire(t, m.owner, 'manager', [secondStoreId]);
    expect((await manager.client.get('/v1/sales')).body.data).toEqual([]);
  });
});
