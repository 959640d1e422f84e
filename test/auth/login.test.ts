// docs/security.md "Back-office sessions" (Back office sessions): server-side session, HttpOnly + SameSite=Lax cookie,
// new id at every login; "Logs" row: no session id or password in any log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { sameAnswerAs } from '../support/outcomes.js';
import { StaffClient, sessionCookieOf } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { createStaffUser } from './auth-helpers.js';

describe.each(DIALECTS)('back-office login [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('signs in with a session cookie that is HttpOnly and SameSite=Lax, and a CSRF token', async () => {
    // A cashier without a second factor: the password alone signs in (owners with one: mfa.totp.test.ts).
    const cashier = await createStaffUser(t, m.demo.merchant_id, 'cashier');
    const answer = await t.request('POST', '/v1/auth/login', {
      body: { login: cashier.login, password: cashier.password },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'signed_in', second_factor_enrolment_required: false });
    expect(answer.body.user).toMatchObject({ role: 'cashier', merchant_id: m.demo.merchant_id });
    expect(answer.body.csrf_token).toMatch(/^csrf_/);
    const cookies = ([] as string[]).concat(answer.headers['set-cookie'] as string[]);
    const session = cookies.find((c) => c.startsWith('rk_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\//);
    const token = sessionCookieOf(answer);
    const me = await t.request('GET', '/v1/auth/me', { headers: { cookie: `rk_session=${token}` } });
    expect(me.status).toBe(200);
    expect(me.body.user.login).toBe(cashier.login);
  });

  it('stores only an HMAC of the session token and gives every login a new session id', async () => {
    const a = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const b = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    expect(a.token).not.toBe(b.token);
    const rows = await t.db.selectFrom('staff_sessions').selectAll().execute();
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(a.token);
    expect(stored).not.toContain(a.csrf);
  });

  it('answers a wrong password and an unknown login id the same way', async () => {
    const beforeWrong = await t.checksum();
    const wrong = await t.request('POST', '/v1/auth/login', {
      body: { login: m.demo.owner.login, password: 'not-the-password-123' },
    });
    const unknown = await t.request('POST', '/v1/auth/login', {
      body: { login: 'nobody@example.com', password: 'not-the-password-123' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('LOGIN_FAILED');
    expect(await t.changedSince(beforeWrong)).toEqual([]);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(sameAnswerAs(wrong.body));
    expect(wrong.body.error.code).toBe('LOGIN_FAILED');
  });

  it('refuses staff routes without a session cookie or with an unknown one', async () => {
    expect((await t.request('GET', '/v1/auth/me')).status).toBe(401);
    const beforeForged = await t.checksum();
    const forged = await t.request('GET', '/v1/auth/me', { headers: { cookie: 'rk_session=rks_forged' } });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
    expect(await t.changedSince(beforeForged)).toEqual([]);
  });

  it('logout ends the session on the server', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const token = owner.token;
    expect((await owner.post('/v1/auth/logout')).status).toBe(204);
    const beforeAfter = await t.checksum();
    const after = await t.request('GET', '/v1/auth/me', { headers: { cookie: `rk_session=${token}` } });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
    expect(await t.changedSince(beforeAfter)).toEqual([]);
  });

  it('ending all sessions of a user (reset) signs out every browser of that user only', async () => {
    const a = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const b = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    expect(await t.services.auth.endAllSessions(a.user.id, 'test')).toBeGreaterThanOrEqual(2);
    expect((await a.get('/v1/auth/me')).status).toBe(401);
    expect((await b.get('/v1/auth/me')).status).toBe(401);
    expect((await owner.get('/v1/auth/me')).status).toBe(200);
  });

  it('audits logins, failures and logouts with actor, outcome and origin', async () => {
    const rows = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', 'in', ['auth.login', 'auth.logout'])
      .execute();
    expect(
      rows.some((r) => r.event === 'auth.login' && r.outcome === 'success' && r.actor_type === 'user' && r.origin),
    ).toBe(true);
    expect(rows.some((r) => r.event === 'auth.login' && r.outcome === 'failure' && r.actor_type === 'anonymous')).toBe(
      true,
    );
    expect(rows.some((r) => r.event === 'auth.logout' && r.outcome === 'success')).toBe(true);
  });

  it('never writes a password, session token or CSRF token to the log', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await owner.get('/v1/auth/me');
    const text = t.logs.join('\n');
    expect(text).not.toContain(owner.token);
    expect(text).not.toContain(owner.csrf);
    expect(text).not.toContain(m.demo.owner.password);
  });
});
