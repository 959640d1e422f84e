// Issue 12 "Done when": from an empty database, through the CLI and the API only (no demo), a platform admin creates a
// merchant; its owner accepts the invitation and signs in, creates a store, a terminal, a cashier and an operator for
// the cashier; the terminal activates with the code and the operator sells and refunds with the refund key.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { runCli } from '../support/server-process.js';
import { StaffClient } from '../support/staff-client.js';
import { CARD_OK, TestApp } from '../support/test-app.js';
import { NEW_PASSWORD, newLogin, newPhone, secretSentTo, sessionHeaders } from './provisioning-helpers.js';

const ADMIN_PASSWORD = 'Platform-Walrus-Meadow-29';

describe.each(DIALECTS)('a real merchant from an empty database [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    t.secrets.add('password', ADMIN_PASSWORD);
    t.secrets.add('password', NEW_PASSWORD);
  });
  afterAll(async () => t?.close());

  it('admin → merchant → owner → store, terminal, cashier, operator → sale and refund', async () => {
    const counts = await t.rowCounts();
    expect({ merchants: counts.merchants, users: counts.users, terminals: counts.terminals }).toEqual({
      merchants: 0,
      users: 0,
      terminals: 0,
    });

    // 1. The platform admin, through the CLI; the password comes from the environment, never a flag.
    const adminLogin = newLogin('admin');
    const databaseUrl = t.services.config.databaseUrl;
    const out = runCli(['admin', 'create', '--login', adminLogin, '--database-url', databaseUrl], {
      REFUNDKEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    expect(out).toContain(adminLogin);
    const admin = await StaffClient.signIn(t, adminLogin, ADMIN_PASSWORD);
    expect(admin.user).toMatchObject({ role: 'admin', merchant_id: null });

    // 2. The merchant with its owner, who is invited (nobody sets the owner's password for them).
    const ownerPhone = newPhone();
    const ownerLogin = newLogin('owner');
    const created = await admin.post('/v1/merchants', {
      name: '老王面馆 Wang’s Noodles',
      owner: { login: ownerLogin, name: '王老板', phone: ownerPhone, email: ownerLogin },
      rate_plan_id: 'small_business',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      object: 'merchant',
      rate_plan_id: 'small_business',
      owner: { login: ownerLogin, status: 'invited' },
    });
    expect(created.body.owner.invitation_sent_to).toHaveLength(2);
    const merchantId = created.body.id as string;
    expect(merchantId).toMatch(/^mch_/);
    // Invited, not yet able to sign in.
    expect(
      (await t.request('POST', '/v1/auth/login', { body: { login: ownerLogin, password: NEW_PASSWORD } })).status,
    ).toBe(401);

    // 3. The owner accepts with the token from the SMS and is signed in as at login.
    const token = await secretSentTo(t, ownerPhone, 'staff_invitation', 'token');
    const accepted = await t.request('POST', '/v1/auth/invitations/accept', {
      body: { token, password: NEW_PASSWORD },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'signed_in', user: { role: 'owner', merchant_id: merchantId } });
    const me = await t.request('GET', '/v1/auth/me', { headers: sessionHeaders(accepted) });
    expect(me.status).toBe(200);
    expect(me.body.user.login).toBe(ownerLogin);
    const owner = await StaffClient.signIn(t, ownerLogin, NEW_PASSWORD);

    // 4. A store, a terminal, a cashier (invited), and an operator number for the cashier.
    const store = await owner.post('/v1/stores', { name: '人民路店 Renmin Road' });
    expect(store.status).toBe(201);
    const terminal = await owner.post(`/v1/stores/${store.body.id}/terminals`, { name: '收银台 1' });
    expect(terminal.status).toBe(201);
    expect(terminal.body).toMatchObject({ object: 'terminal', store_id: store.body.id, status: 'pending' });
    const activationCode = terminal.body.activation_code as string;
    t.secrets.add('activation code', activationCode);

    const cashierPhone = newPhone();
    const cashier = await owner.post('/v1/staff', {
      login: newLogin('cashier'),
      name: '小李',
      role: 'cashier',
      phone: cashierPhone,
      store_ids: [store.body.id],
    });
    expect(cashier.status, JSON.stringify(cashier.body)).toBe(201);
    expect(cashier.body).toMatchObject({ role: 'cashier', status: 'invited', store_ids: [store.body.id] });
    const operator = await owner.post('/v1/operators', {
      store_id: store.body.id,
      staff_id: cashier.body.id,
      operator_no: '01',
    });
    expect(operator.status, JSON.stringify(operator.body)).toBe(201);
    expect(operator.body).toMatchObject({ operator_no: '01', staff_id: cashier.body.id, name: '小李' });
    // The initial password went to the cashier's phone only; the owner never saw it.
    expect(JSON.stringify(operator.body)).not.toMatch(/"password"/);
    const operatorPassword = await secretSentTo(t, cashierPhone, 'operator_password', 'password');
    expect(operatorPassword).toMatch(/^\d{6}$/);

    // 5. The refund key, through the existing route (re-authenticated owner).
    await owner.reauth();
    const refundKey = 'Saffron-Tundra-Kettle-61';
    t.secrets.add('refund key', refundKey);
    const keySet = await owner.post('/v1/refund-key', { new_key: refundKey, confirm_key: refundKey });
    expect(keySet.status, JSON.stringify(keySet.body)).toBe(200);

    // 6. The terminal activates; the operator signs in, sells and refunds.
    const activated = await t.request('POST', '/v1/terminals/activate', { body: { activation_code: activationCode } });
    expect(activated.status).toBe(201);
    expect(activated.body.terminal_id).toBe(terminal.body.id);
    const key = activated.body.terminal_key as string;
    const session = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: '01', password: operatorPassword },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    const till = { authorization: `Bearer ${key}`, 'x-operator-session': session.body.operator_session as string };
    const sale = await t.request('POST', '/v1/sales', {
      body: { amount: 5_800, currency: 'CNY', payment_method: CARD_OK },
      headers: { ...till, 'idempotency-key': `e2e-sale-${process.pid}` },
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    expect(sale.body.status).toBe('succeeded');
    const refund = await t.request('POST', '/v1/refunds', {
      body: { sale_id: sale.body.id, amount: 1_800, reason: '少上一道菜 / a dish missing' },
      headers: { ...till, 'idempotency-key': `e2e-refund-${process.pid}` },
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(refund.body.authorization.required).toEqual(['refund_key']);
    const authorized = await t.request('POST', `/v1/refunds/${refund.body.id}/authorize`, {
      body: { refund_key: refundKey },
      headers: till,
    });
    expect(authorized.status, JSON.stringify(authorized.body)).toBe(200);
    expect(authorized.body.status).toBe('succeeded');
    const after = await t.request('GET', `/v1/sales/${sale.body.id}`, { headers: till });
    expect(after.body.refunded_amount).toBe(1_800);

    // Every step is in the audit log, by who did it.
    const events = await t.db
      .selectFrom('audit_log')
      .select(['event', 'actor_type', 'outcome'])
      .where('event', 'in', [
        'admin.created',
        'merchant.created',
        'invitation.sent',
        'invitation.accepted',
        'store.created',
        'terminal.created',
        'staff.created',
        'operator.created',
      ])
      .where('outcome', '=', 'success')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.event)).toEqual([
      'admin.created',
      'invitation.sent',
      'merchant.created',
      'invitation.accepted',
      'store.created',
      'terminal.created',
      'invitation.sent',
      'staff.created',
      'operator.created',
    ]);
    // No demo was involved: one merchant, the one the admin created.
    expect((await t.rowCounts()).merchants).toBe(1);
  });

  it('the CLI refuses a password flag, a weak password and a taken login, and creates nobody', async () => {
    const before = await t.rowCounts();
    const untouched = await t.checksum();
    const url = t.services.config.databaseUrl;
    expect(() => runCli(['admin', 'create', '--login', 'x-admin', '--password', 'Whatever-Long-99'])).toThrow(
      /never a flag/,
    );
    expect(() =>
      runCli(['admin', 'create', '--login', newLogin('admin'), '--database-url', url], {
        REFUNDKEY_ADMIN_PASSWORD: 'password1234',
      }),
    ).toThrow(/PASSWORD_TOO_WEAK/);
    // Refused: no row added, removed or updated (not only the same number of users).
    expect(await t.changedSince(untouched)).toEqual([]);
    const login = newLogin('admin');
    runCli(['admin', 'create', '--login', login, '--database-url', url], { REFUNDKEY_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const middle = await t.rowCounts();
    expect(middle.users).toBe((before.users ?? 0) + 1);
    const created = await t.checksum();
    expect(() =>
      runCli(['admin', 'create', '--login', login, '--database-url', url], {
        REFUNDKEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
      }),
    ).toThrow(/LOGIN_TAKEN/);
    expect((await t.rowCounts()).users).toBe(middle.users);
    expect(await t.changedSince(created)).toEqual([]);
  }, 120_000); // four CLI processes, each hashing a password: slow on a busy machine

  it('without the variable, the CLI reads the password from standard input when it is not a terminal', async () => {
    const login = newLogin('admin');
    const env = { ...process.env };
    delete env.REFUNDKEY_ADMIN_PASSWORD;
    const run = spawnSync(
      process.execPath,
      [inject('cliBundle'), 'admin', 'create', '--login', login, '--database-url', t.services.config.databaseUrl],
      { env, input: `${ADMIN_PASSWORD}\n`, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(ADMIN_PASSWORD);
    expect((await StaffClient.signIn(t, login, ADMIN_PASSWORD)).user.role).toBe('admin');
    const empty = spawnSync(process.execPath, [inject('cliBundle'), 'admin', 'create', '--login', newLogin('admin')], {
      env,
      input: '',
      encoding: 'utf8',
    });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('REFUNDKEY_ADMIN_PASSWORD');
  });
});
