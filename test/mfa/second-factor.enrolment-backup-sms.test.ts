// SECURITY.md "Sessions and MFA" and issue 12 item 3: owners, managers and admins must enrol a second factor before
// anything else works (cashiers may); adding or removing a factor needs a fresh re-authentication and tells the
// person on the old channel; 10 backup codes, HMACed, each used once, a new set voids the old; an SMS code is
// 6 digits, lives 5 minutes, is used once, and is checked through the attempt limiter (docs/security.md
// "Attempt limits": a burst of 50 wrong and the right one verifies at most the limit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { outcome, tally } from '../support/outcomes.js';
import { StaffClient, sessionCookieOf } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import {
  enrolledOwner,
  messagesTo,
  newestSecret,
  passwordStep,
  person,
  secondFactor,
  totpCode,
  wrong,
} from './mfa-helpers.js';

describe.each(DIALECTS)('second-factor enrolment, backup codes and SMS [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  async function rawSignIn(login: string, password: string) {
    const answer = await t.request('POST', '/v1/auth/login', { body: { login, password } });
    const token = sessionCookieOf(answer) ?? '';
    const headers = { cookie: `rk_session=${token}`, 'x-csrf-token': String(answer.body.csrf_token) };
    return { answer, headers };
  }

  /** Ask for a sign-in SMS; the clock moves a second first, so "newest message" is well defined on a still clock. */
  async function sendSms(pending: string) {
    t.clock.advance(1_000);
    return t.request('POST', '/v1/auth/second-factor/sms', { body: {}, headers: { cookie: `rk_pending=${pending}` } });
  }

  it('an owner, manager or admin without a factor can only enrol; a cashier works without one', async () => {
    for (const role of ['owner', 'manager', 'admin'] as const) {
      const who = await person(t, role === 'admin' ? null : m.demo.merchant_id, role);
      const { answer, headers } = await rawSignIn(who.login, who.password);
      expect(answer.body).toMatchObject({ status: 'signed_in', second_factor_enrolment_required: true });
      const beforeBlocked = await t.checksum();
      const blocked = await t.request('GET', role === 'admin' ? '/v1/ops/outbox' : '/v1/stores', { headers });
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.code).toBe('SECOND_FACTOR_ENROLMENT_REQUIRED');
      expect(await t.changedSince(beforeBlocked)).toEqual([]);
      expect((await t.request('GET', '/v1/auth/me', { headers })).status).toBe(200);
      const started = await t.request('POST', '/v1/me/totp', { headers, body: {} });
      expect(started.status).toBe(200);
      expect(started.body.otpauth_url).toMatch(/^otpauth:\/\/totp\/.*secret=/);
      t.secrets.add('TOTP secret', started.body.secret);
      const confirmed = await t.request('POST', '/v1/me/totp/confirm', {
        headers,
        body: { code: totpCode(started.body.secret, t.clock.now()) },
      });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.backup_codes).toHaveLength(10);
      for (const code of confirmed.body.backup_codes) t.secrets.add('backup code', code);
      expect((await t.request('GET', role === 'admin' ? '/v1/ops/outbox' : '/v1/stores', { headers })).status).toBe(
        200,
      );
      // Told on the channels the person had: a factor was added.
      const notices = await messagesTo(t, who.phone, 'security_notice');
      expect(notices.map((n) => n.params.change)).toContain('factor_added');
    }
    const cashier = await person(t, m.demo.merchant_id, 'cashier');
    const { answer, headers } = await rawSignIn(cashier.login, cashier.password);
    expect(answer.body.second_factor_enrolment_required).toBe(false);
    expect((await t.request('GET', '/v1/stores', { headers })).status).toBe(200);
  });

  it('adding a factor needs a re-authentication at most 5 minutes old', async () => {
    const who = await person(t, m.demo.merchant_id, 'cashier');
    const client = await StaffClient.signIn(t, who.login, who.password);
    t.clock.advance(6 * 60_000);
    const before = await t.checksum();
    const stale = await client.post('/v1/me/totp', {});
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('REAUTH_REQUIRED');
    expect(await t.changedSince(before)).toEqual([]);
    await client.reauth();
    expect((await client.post('/v1/me/totp', {})).status).toBe(200);
  });

  it('backup codes: each signs in once; a new set voids the old one and the person is told', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const [first, second] = owner.backupCodes;
    if (!first || !second) throw new Error('no backup codes');
    const rows = await t.db.selectFrom('backup_codes').selectAll().where('user_id', '=', owner.id).execute();
    expect(rows).toHaveLength(10);
    expect(JSON.stringify(rows)).not.toContain(first.replace('-', ''));
    expect(JSON.stringify(rows)).not.toContain(first);

    const ok = await secondFactor(t, await passwordStep(t, owner.login, owner.password), 'backup_code', first);
    expect(ok.status).toBe(200);
    const pendingAgain = await passwordStep(t, owner.login, owner.password);
    const beforeAgain = await t.checksum();
    const again = await secondFactor(t, pendingAgain, 'backup_code', first);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('SECOND_FACTOR_FAILED');
    expect(await t.changedSince(beforeAgain)).toEqual([]);

    // Ten parallel uses of one unused code: one wins.
    const pendings: string[] = [];
    for (let i = 0; i < 10; i++) pendings.push(await passwordStep(t, owner.login, owner.password));
    const answers = await Promise.all(pendings.map((p) => secondFactor(t, p, 'backup_code', second)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    // The nine others: used (401) or refused by the attempt limit (423), exactly, never a 5xx.
    const losers = tally(answers.filter((a) => a.status !== 200));
    expect(Object.values(losers).reduce((sum, n) => sum + n, 0)).toBe(9);
    expect(
      Object.keys(losers).filter((k) => k !== '401 SECOND_FACTOR_FAILED' && k !== '423 SECOND_FACTOR_LOCKED'),
    ).toEqual([]);
    t.clock.advance(16 * 60_000); // past any lock the losers' failures made (the session idled out too)

    const again2 = await StaffClient.signIn(t, owner.login, owner.password);
    const renewed = await again2.post('/v1/me/backup-codes', {});
    expect(renewed.status).toBe(200);
    expect(renewed.body.backup_codes).toHaveLength(10);
    for (const code of renewed.body.backup_codes) t.secrets.add('backup code', code);
    const old = owner.backupCodes[2] ?? '';
    const pendingVoided = await passwordStep(t, owner.login, owner.password);
    const beforeVoided = await t.checksum();
    const voided = await secondFactor(t, pendingVoided, 'backup_code', old);
    expect(voided.status).toBe(401);
    expect(voided.body.error.code).toBe('SECOND_FACTOR_FAILED');
    expect(await t.changedSince(beforeVoided)).toEqual([]);
    const fresh = renewed.body.backup_codes[0] as string;
    const works = await secondFactor(t, await passwordStep(t, owner.login, owner.password), 'backup_code', fresh);
    expect(works.status).toBe(200);
    const notices = await messagesTo(t, owner.phone, 'security_notice');
    expect(notices.map((n) => n.params.change)).toContain('backup_codes_regenerated');
  });

  it('an owner keeps at least one factor; removing one needs re-authentication and tells the person', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const beforeLast = await t.checksum();
    const last = await owner.client.post('/v1/me/totp/remove', {});
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('SECOND_FACTOR_LAST');
    expect(await t.changedSince(beforeLast)).toEqual([]);
    // With SMS as well, TOTP can go.
    expect((await owner.client.post('/v1/me/sms-factor', {})).status).toBe(200);
    const code = await newestSecret(t, owner.phone, 'second_factor_code');
    expect(code).toMatch(/^\d{6}$/);
    const confirmed = await owner.client.post('/v1/me/sms-factor/confirm', { code });
    expect(confirmed.status).toBe(200);
    t.clock.advance(6 * 60_000);
    const beforeStale = await t.checksum();
    const stale = await owner.client.post('/v1/me/totp/remove', {});
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('REAUTH_REQUIRED');
    expect(await t.changedSince(beforeStale)).toEqual([]);
    await owner.client.reauth();
    expect((await owner.client.post('/v1/me/totp/remove', {})).status).toBe(204);
    const overview = await owner.client.get('/v1/me/second-factors');
    expect(overview.body).toMatchObject({ factors: [{ kind: 'sms' }], backup_codes_left: 10, required: true });
    const notices = await messagesTo(t, owner.phone, 'security_notice');
    expect(notices.map((n) => n.params.change)).toContain('factor_removed');
  });

  it('SMS second factor: 6 digits, once, 5 minutes; a new code voids the old', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    t.clock.advance(1_000);
    await owner.client.post('/v1/me/sms-factor', {});
    await owner.client.post('/v1/me/sms-factor/confirm', {
      code: await newestSecret(t, owner.phone, 'second_factor_code'),
    });

    const pending = await passwordStep(t, owner.login, owner.password);
    const sent = await sendSms(pending);
    expect(sent.status).toBe(200);
    expect(sent.body.sent_to).toBe(`${owner.phone.slice(0, 3)}****${owner.phone.slice(-4)}`);
    const code = await newestSecret(t, owner.phone, 'second_factor_code');
    expect((await secondFactor(t, pending, 'sms', code)).status).toBe(200);
    // Used: the same code on another pending login is refused.
    const other = await passwordStep(t, owner.login, owner.password);
    await sendSms(other);
    const refused = async (smsCode: string) => {
      const before = await t.checksum();
      const answer = await secondFactor(t, other, 'sms', smsCode);
      return { outcome: outcome(answer), changed: await t.changedSince(before) };
    };
    expect(await refused(code)).toEqual({ outcome: '401 SECOND_FACTOR_FAILED', changed: [] });
    // A new code voids the previous; expiry at 5 minutes. (Checked unconditionally: two random 6-digit codes are
    // the same once in a million runs, which then fails loudly instead of skipping the check.)
    const firstOfTwo = await newestSecret(t, owner.phone, 'second_factor_code');
    await sendSms(other);
    const newest = await newestSecret(t, owner.phone, 'second_factor_code');
    expect(await refused(firstOfTwo)).toEqual({ outcome: '401 SECOND_FACTOR_FAILED', changed: [] });
    t.clock.advance(5 * 60_000);
    // The pending login the code is bound to lives 5 minutes too, and ends first: that is the refusal seen here.
    expect(await refused(newest)).toEqual({ outcome: '401 PENDING_LOGIN_INVALID', changed: [] });
  });

  it('a burst of 50 wrong SMS codes and the right one verifies at most 5 (the limit)', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    t.clock.advance(1_000);
    await owner.client.post('/v1/me/sms-factor', {});
    await owner.client.post('/v1/me/sms-factor/confirm', {
      code: await newestSecret(t, owner.phone, 'second_factor_code'),
    });
    t.clock.advance(16 * 60_000);
    const pending = await passwordStep(t, owner.login, owner.password);
    await sendSms(pending);
    const right = await newestSecret(t, owner.phone, 'second_factor_code');
    const guesses = [...Array.from({ length: 50 }, (_, i) => wrong(right, (i % 9) + 1)), right];
    const answers = await Promise.all(guesses.map((code) => secondFactor(t, pending, 'sms', code)));
    const verified = answers.filter((a) => a.status === 200 || a.status === 401).length;
    expect(verified).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 423).length).toBeGreaterThanOrEqual(46);
    // All 51 answers are one of the exact outcomes: no 5xx, no other status or code.
    const outcomes = tally(answers);
    expect(Object.values(outcomes).reduce((sum, n) => sum + n, 0)).toBe(51);
    expect(
      Object.keys(outcomes).filter((k) => !['200', '401 SECOND_FACTOR_FAILED', '423 SECOND_FACTOR_LOCKED'].includes(k)),
    ).toEqual([]);
    const failures = await t.db
      .selectFrom('audit_log')
      .select('seq')
      .where('event', '=', 'auth.second_factor')
      .where('outcome', '=', 'failure')
      .where('actor_id', '=', owner.id)
      .execute();
    expect(failures.length).toBeGreaterThanOrEqual(46); // every refusal is audited, verified or not
  });
});
