// SECURITY.md "Sessions and MFA": TOTP is RFC 6238 (SHA-1, 6 digits, 30 s), ±1 step, each code accepted once, also
// under parallel submissions; the password alone gives no session, only a short-lived pending login (issue 12 item 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { outcome, tally } from '../support/outcomes.js';
import { sessionCookieOf } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { enrolledOwner, passwordStep, secondFactor, totpCode, wrong } from './mfa-helpers.js';

const STEP = 30_000;

describe.each(DIALECTS)('TOTP second factor [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  /** A clock on a fresh step, in the middle of it, so that ±1 step means exactly one period either side. */
  function freshStep(): number {
    t.clock.advance(5 * STEP);
    t.clock.set(Math.floor(t.clock.now() / STEP) * STEP + STEP / 2);
    return t.clock.now();
  }

  it('the password alone gives a pending login in an HttpOnly cookie, no session; the current code signs in', async () => {
    const owner = m.demo.owner;
    const answer = await t.request('POST', '/v1/auth/login', {
      body: { login: owner.login, password: owner.password },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'second_factor_required',
      methods: ['totp', 'backup_code'],
      expires_at: new Date(t.clock.now() + 5 * 60_000).toISOString(),
    });
    expect(sessionCookieOf(answer)).toBeUndefined();
    const cookie = ([] as string[])
      .concat(answer.headers['set-cookie'] as string[])
      .find((c) => c.startsWith('rk_pending='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pending = /^rk_pending=([^;]*)/.exec(cookie ?? '')?.[1] ?? '';
    // The pending login is no session: staff routes refuse it.
    const before = await t.checksum();
    const me = await t.request('GET', '/v1/auth/me', { headers: { cookie: `rk_session=${pending}` } });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
    expect(await t.changedSince(before)).toEqual([]);

    const now = freshStep();
    const done = await secondFactor(t, pending, 'totp', totpCode(owner.totp_secret, now));
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'signed_in', second_factor_enrolment_required: false });
    expect(done.body.user.login).toBe(owner.login);
    const token = sessionCookieOf(done);
    const meNow = await t.request('GET', '/v1/auth/me', { headers: { cookie: `rk_session=${token}` } });
    expect(meNow.status).toBe(200);
    // The pending login was used up with it.
    const beforeReuse = await t.checksum();
    const reused = await secondFactor(t, pending, 'totp', totpCode(owner.totp_secret, now + STEP));
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('PENDING_LOGIN_INVALID');
    expect(await t.changedSince(beforeReuse)).toEqual([]);
  });

  it('the same code again is refused, in a new sign-in too', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const now = freshStep();
    const code = totpCode(owner.secret, now);
    const first = await secondFactor(t, await passwordStep(t, owner.login, owner.password), 'totp', code);
    expect(first.status).toBe(200);
    const pending = await passwordStep(t, owner.login, owner.password);
    const before = await t.checksum();
    const again = await secondFactor(t, pending, 'totp', code);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('SECOND_FACTOR_FAILED');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('one step either side is accepted; two steps are refused', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const now = freshStep();
    const at = async (delta: number) =>
      (
        await secondFactor(
          t,
          await passwordStep(t, owner.login, owner.password),
          'totp',
          totpCode(owner.secret, now + delta * STEP),
        )
      ).status;
    // A refused step is refused exactly, and changes nothing but the counted attempt.
    const refusedAt = async (delta: number) => {
      const pending = await passwordStep(t, owner.login, owner.password);
      const before = await t.checksum();
      const answer = await secondFactor(t, pending, 'totp', totpCode(owner.secret, now + delta * STEP));
      return { outcome: outcome(answer), changed: await t.changedSince(before) };
    };
    expect(await refusedAt(-2)).toEqual({ outcome: '401 SECOND_FACTOR_FAILED', changed: [] });
    expect(await refusedAt(2)).toEqual({ outcome: '401 SECOND_FACTOR_FAILED', changed: [] });
    expect(await at(-1)).toBe(200);
    expect(await at(1)).toBe(200);
    expect(await at(0)).toBe(200);
  });

  it('10 parallel uses of one right code on 10 pending logins: exactly one signs in', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const now = freshStep();
    const pendings: string[] = [];
    for (let i = 0; i < 10; i++) pendings.push(await passwordStep(t, owner.login, owner.password));
    const code = totpCode(owner.secret, now);
    const answers = await Promise.all(pendings.map((p) => secondFactor(t, p, 'totp', code)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // The others are refused: the code was used (401), or the attempt limit refused the claim (423).
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(9);
    expect(refused.every((a) => a.status === 401 || a.status === 423)).toBe(true);
    // Exactly those two codes, nothing else and no 5xx.
    expect(
      Object.keys(tally(refused)).filter((k) => k !== '401 SECOND_FACTOR_FAILED' && k !== '423 SECOND_FACTOR_LOCKED'),
    ).toEqual([]);
    const sessions = await t.db.selectFrom('staff_sessions').select('id').where('user_id', '=', owner.id).execute();
    expect(sessions).toHaveLength(2); // the enrolment's sign-in and the one winner
  });

  it('a wrong code is counted: 5 wrong lock the second factor (423), the right code then too', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const now = freshStep();
    const right = totpCode(owner.secret, now);
    for (let i = 1; i <= 5; i++) {
      const pending = await passwordStep(t, owner.login, owner.password);
      const before = await t.checksum();
      const answer = await secondFactor(t, pending, 'totp', wrong(right, i));
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('SECOND_FACTOR_FAILED');
      expect(await t.changedSince(before)).toEqual([]);
    }
    const pending = await passwordStep(t, owner.login, owner.password);
    const before = await t.checksum();
    const locked = await secondFactor(t, pending, 'totp', right);
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('SECOND_FACTOR_LOCKED');
    expect(await t.changedSince(before)).toEqual([]);
    expect(locked.body.error.retry_after_s).toBeGreaterThan(0);
    t.clock.advance(16 * 60_000);
    const later = totpCode(owner.secret, t.clock.now());
    expect((await secondFactor(t, await passwordStep(t, owner.login, owner.password), 'totp', later)).status).toBe(200);
  });

  it('the seed is stored sealed, never plain', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const rows = await t.db.selectFrom('second_factors').selectAll().where('user_id', '=', owner.id).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(owner.secret);
  });
});
