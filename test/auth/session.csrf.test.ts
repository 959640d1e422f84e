// docs/security.md "Back-office sessions" (Back office sessions): CSRF protection on every state-changing staff request,
// new session id at re-authentication (ASVS 5.0 V7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('session CSRF and rotation [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('refuses a state-changing request without the X-CSRF-Token header', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const beforeAnswer = await t.checksum();
    const answer = await owner.post('/v1/auth/reauth', { password: m.demo.owner.password }, { csrf: false });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('CSRF_INVALID');
    expect(await t.changedSince(beforeAnswer)).toEqual([]);
    const beforeStrength = await t.checksum();
    const strength = await owner.post('/v1/refund-key/strength', { key: 'whatever-key' }, { csrf: false });
    expect(strength.status).toBe(403);
    expect(strength.body.error.code).toBe('CSRF_INVALID');
    expect(await t.changedSince(beforeStrength)).toEqual([]);
  });

  it('refuses a wrong CSRF token, and the token of another session', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const other = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const beforeWrong = await t.checksum();
    const wrong = await owner.post('/v1/auth/logout', {}, { csrf: false, headers: { 'x-csrf-token': 'csrf_forged' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('CSRF_INVALID');
    expect(await t.changedSince(beforeWrong)).toEqual([]);
    const beforeCrossed = await t.checksum();
    const crossed = await owner.post('/v1/auth/logout', {}, { csrf: false, headers: { 'x-csrf-token': other.csrf } });
    expect(crossed.status).toBe(403);
    expect(crossed.body.error.code).toBe('CSRF_INVALID');
    expect(await t.changedSince(beforeCrossed)).toEqual([]);
    // The refused logout changed nothing: the session still works.
    expect((await owner.get('/v1/auth/me')).status).toBe(200);
  });

  it('does not need the CSRF header for reads', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    expect((await owner.get('/v1/auth/me')).status).toBe(200);
  });

  it('re-authentication gives a new session id and CSRF token; the old ones stop working', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const oldToken = owner.token;
    const oldCsrf = owner.csrf;
    await owner.reauth();
    expect(owner.token).not.toBe(oldToken);
    expect(owner.csrf).not.toBe(oldCsrf);
    expect((await t.request('GET', '/v1/auth/me', { headers: { cookie: `rk_session=${oldToken}` } })).status).toBe(401);
    const beforeStaleCsrf = await t.checksum();
    const staleCsrf = await owner.post('/v1/auth/logout', {}, { csrf: false, headers: { 'x-csrf-token': oldCsrf } });
    expect(staleCsrf.status).toBe(403);
    expect(staleCsrf.body.error.code).toBe('CSRF_INVALID');
    expect(await t.changedSince(beforeStaleCsrf)).toEqual([]);
    expect((await owner.get('/v1/auth/me')).status).toBe(200);
  });

  it('a wrong re-authentication password is refused and audited', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const beforeAnswer = await t.checksum();
    const answer = await owner.post('/v1/auth/reauth', { password: 'definitely-not-it-42' });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('REAUTH_FAILED');
    expect(await t.changedSince(beforeAnswer)).toEqual([]);
    const rows = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', '=', 'auth.reauth')
      .where('outcome', '=', 'failure')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
  });
});
