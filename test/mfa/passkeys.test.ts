// SECURITY.md "Passkeys" and issue 12 item 3: passkeys with user verification required (fingerprint, face), challenges
// single use and ≤ 5 minutes, the sign counter checked; several named passkeys per person, listable and removable;
// sign-in and re-authentication with one; every answer counted against the second-factor limit before it is checked.
// The answers come from a software authenticator with a real P-256 key (test/mfa/support/soft-authenticator.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type StaffClient, sessionCookieOf } from '../support/staff-client.js';
import { type Answer, type SeededMerchant, TestApp } from '../support/test-app.js';
import { enrolledOwner, messagesTo, passwordStep, person } from './mfa-helpers.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

describe.each(DIALECTS)('passkeys [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  /** Register a passkey of `device` for the signed-in client: options, the device's answer, the registration. */
  async function addPasskey(client: StaffClient, device: SoftAuthenticator, name = 'phone', uv = true) {
    const options = await client.post('/v1/me/passkeys/options', {});
    expect(options.status).toBe(200);
    return client.post('/v1/me/passkeys', { name, response: device.register(options.body, { uv }) });
  }

  /** The passkey step of a sign-in: the password, the options for the pending login, the device's answer. */
  async function passkeySignIn(
    who: { login: string; password: string },
    device: SoftAuthenticator,
    opts: Parameters<SoftAuthenticator['assert']>[1] = {},
  ): Promise<Answer> {
    const pending = await passwordStep(t, who.login, who.password);
    const headers = { cookie: `rk_pending=${pending}` };
    const options = await t.request('POST', '/v1/auth/second-factor/passkey/options', { body: {}, headers });
    expect(options.status).toBe(200);
    return t.request('POST', '/v1/auth/second-factor', {
      body: { method: 'passkey', response: device.assert(options.body, opts) },
      headers,
    });
  }

  async function failuresOf(userId: string, event: string): Promise<number> {
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['event', 'outcome', 'actor_id'])
      .where('event', '=', event)
      .where('outcome', '=', 'failure')
      .execute();
    return rows.filter((r) => r.actor_id === userId).length;
  }

  it('registers with user verification: named, listed, the person is told, and sign-in offers and accepts it', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const device = new SoftAuthenticator();
    const options = await owner.client.post('/v1/me/passkeys/options', {});
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({
      rp: { id: 'localhost' },
      authenticatorSelection: { userVerification: 'required' },
      attestation: 'none',
    });
    expect(options.body.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const noticesBefore = (await messagesTo(t, owner.phone, 'security_notice')).length;
    const added = await owner.client.post('/v1/me/passkeys', {
      name: 'iPhone',
      response: device.register(options.body),
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({
      id: expect.stringMatching(/^pk_/),
      name: 'iPhone',
      created_at: new Date(t.clock.now()).toISOString(),
      last_used_at: null,
    }); // no backup codes: the person had a factor (and its codes) already
    const notices = await messagesTo(t, owner.phone, 'security_notice');
    expect(notices.length).toBe(noticesBefore + 1);
    expect(notices[0]?.params.change).toBe('factor_added');

    t.clock.advance(1_000);
    const second = await addPasskey(owner.client, new SoftAuthenticator(), 'office PC');
    expect(second.status).toBe(200);
    const list = await owner.client.get('/v1/me/passkeys');
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { name: string }) => p.name)).toEqual(['iPhone', 'office PC']);

    const login = await t.request('POST', '/v1/auth/login', { body: { login: owner.login, password: owner.password } });
    expect(login.body.methods).toEqual(['passkey', 'totp', 'backup_code']);

    t.clock.advance(1_000);
    const signedIn = await passkeySignIn(owner, device);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ status: 'signed_in', second_factor_enrolment_required: false });
    expect(signedIn.body.user.id).toBe(owner.id);
    const me = await t.request('GET', '/v1/auth/me', {
      headers: { cookie: `rk_session=${sessionCookieOf(signedIn)}` },
    });
    expect(me.status).toBe(200);
    const after = await owner.client.get('/v1/me/passkeys');
    expect(after.body.data[0].last_used_at).toBe(new Date(t.clock.now()).toISOString());
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['event', 'outcome'])
      .where('event', '=', 'mfa.factor_added')
      .where('actor_id', '=', owner.id)
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(3); // TOTP, then the two passkeys
  });

  it('user verification off is refused at registration and at sign-in', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const device = new SoftAuthenticator();
    const options = await owner.client.post('/v1/me/passkeys/options', {});
    const before = await t.checksum();
    const refused = await owner.client.post('/v1/me/passkeys', {
      name: 'no UV',
      response: device.register(options.body, { uv: false }),
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('PASSKEY_FAILED');
    expect(await t.changedSince(before)).toEqual(['webauthn_challenges']); // only the challenge, used up

    expect((await addPasskey(owner.client, device)).status).toBe(200);
    const beforeLogin = await t.checksum();
    const noUv = await passkeySignIn(owner, device, { uv: false });
    expect(noUv.status).toBe(401);
    expect(noUv.body.error.code).toBe('PASSKEY_FAILED');
    // The password step made a pending login and the options a challenge (now used); no session, no counter moved.
    expect(await t.changedSince(beforeLogin)).toEqual(['pending_logins', 'webauthn_challenges']);
    expect(await failuresOf(owner.id, 'auth.second_factor')).toBe(1);
  });

  it('a wrong challenge, a replayed answer and a counter going backwards are refused', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const device = new SoftAuthenticator();
    expect((await addPasskey(owner.client, device)).status).toBe(200);

    // A challenge the server never gave: nothing is used up.
    const pending = await passwordStep(t, owner.login, owner.password);
    const headers = { cookie: `rk_pending=${pending}` };
    const options = await t.request('POST', '/v1/auth/second-factor/passkey/options', { body: {}, headers });
    const before = await t.checksum();
    const forged = await t.request('POST', '/v1/auth/second-factor', {
      body: {
        method: 'passkey',
        response: device.assert(options.body, { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      },
      headers,
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('PASSKEY_FAILED');
    expect(await t.changedSince(before)).toEqual([]);

    // The right answer signs in; the same answer again (a replay) is refused, here and on a new pending login.
    const answer = device.assert(options.body);
    const ok = await t.request('POST', '/v1/auth/second-factor', {
      body: { method: 'passkey', response: answer },
      headers,
    });
    expect(ok.status).toBe(200);
    const pending2 = await passwordStep(t, owner.login, owner.password);
    const headers2 = { cookie: `rk_pending=${pending2}` };
    await t.request('POST', '/v1/auth/second-factor/passkey/options', { body: {}, headers: headers2 });
    const beforeReplay = await t.checksum();
    const replay = await t.request('POST', '/v1/auth/second-factor', {
      body: { method: 'passkey', response: answer },
      headers: headers2,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('PASSKEY_FAILED');
    expect(await t.changedSince(beforeReplay)).toEqual([]);

    // A counter at or below the one seen (a cloned authenticator) is refused, and the stored counter stays.
    const stored = async () =>
      Number(
        (await t.db.selectFrom('passkeys').select('counter').where('user_id', '=', owner.id).executeTakeFirstOrThrow())
          .counter,
      );
    expect(await stored()).toBe(2); // the forged answer drew 1 from the device, the right one 2
    const backwards = await passkeySignIn(owner, device, { counter: 2 });
    expect(backwards.status).toBe(401);
    expect(backwards.body.error.code).toBe('PASSKEY_FAILED');
    expect(await stored()).toBe(2);
    const forwards = await passkeySignIn(owner, device, { counter: 7 });
    expect(forwards.status).toBe(200);
    expect(await stored()).toBe(7);
    const lower = await passkeySignIn(owner, device, { counter: 3 });
    expect(lower.status).toBe(401);
    expect(await stored()).toBe(7);
  });

  it("another person's passkey is refused, and cannot be removed by someone else", async () => {
    const alice = await enrolledOwner(t, m.demo.merchant_id);
    const bob = await enrolledOwner(t, m.demo.merchant_id);
    const aliceDevice = new SoftAuthenticator();
    const bobDevice = new SoftAuthenticator();
    expect((await addPasskey(alice.client, aliceDevice)).status).toBe(200);
    const bobKey = await addPasskey(bob.client, bobDevice);
    expect(bobKey.status).toBe(200);

    const wrongPerson = await passkeySignIn(alice, bobDevice);
    expect(wrongPerson.status).toBe(401);
    expect(wrongPerson.body.error.code).toBe('PASSKEY_FAILED');

    await alice.client.reauth();
    const before = await t.checksum();
    const removeOthers = await alice.client.post(`/v1/me/passkeys/${bobKey.body.id}/remove`, {});
    expect(removeOthers.status).toBe(404);
    expect(removeOthers.body.error.code).toBe('PASSKEY_NOT_FOUND');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('removal: needs a fresh re-authentication, tells the person, and the passkey stops working', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const device = new SoftAuthenticator();
    const added = await addPasskey(owner.client, device);
    t.clock.advance(6 * 60_000);
    const stale = await owner.client.post(`/v1/me/passkeys/${added.body.id}/remove`, {});
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('REAUTH_REQUIRED');
    await owner.client.reauth();
    const removed = await owner.client.post(`/v1/me/passkeys/${added.body.id}/remove`, {});
    expect(removed.status).toBe(204);
    expect((await owner.client.get('/v1/me/passkeys')).body.data).toEqual([]);
    expect((await messagesTo(t, owner.phone, 'security_notice'))[0]?.params.change).toBe('factor_removed');
    const login = await t.request('POST', '/v1/auth/login', { body: { login: owner.login, password: owner.password } });
    expect(login.body.methods).toEqual(['totp', 'backup_code']);
    const pending = await passwordStep(t, owner.login, owner.password);
    const options = await t.request('POST', '/v1/auth/second-factor/passkey/options', {
      body: {},
      headers: { cookie: `rk_pending=${pending}` },
    });
    expect(options.status).toBe(422);
    expect(options.body.error.code).toBe('SECOND_FACTOR_METHOD_UNAVAILABLE');
  });

  it('a passkey as the first factor: enrolment allowed, 10 backup codes once, and it cannot be the last one removed', async () => {
    const who = await person(t, m.demo.merchant_id, 'manager');
    const login = await t.request('POST', '/v1/auth/login', { body: { login: who.login, password: who.password } });
    expect(login.body).toMatchObject({ status: 'signed_in', second_factor_enrolment_required: true });
    const headers = { cookie: `rk_session=${sessionCookieOf(login)}`, 'x-csrf-token': String(login.body.csrf_token) };
    const device = new SoftAuthenticator();
    const options = await t.request('POST', '/v1/me/passkeys/options', { body: {}, headers });
    expect(options.status).toBe(200);
    const added = await t.request('POST', '/v1/me/passkeys', {
      body: { name: 'Pixel', response: device.register(options.body) },
      headers,
    });
    expect(added.status).toBe(200);
    expect(added.body.backup_codes).toHaveLength(10);
    for (const code of added.body.backup_codes) t.secrets.add('backup code', code);
    expect((await t.request('GET', '/v1/stores', { headers })).status).toBe(200); // enrolled now
    const before = await t.checksum();
    const last = await t.request('POST', `/v1/me/passkeys/${added.body.id}/remove`, { body: {}, headers });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('SECOND_FACTOR_LAST');
    expect(await t.changedSince(before)).toEqual([]);
    const methods = await t.request('POST', '/v1/auth/login', { body: { login: who.login, password: who.password } });
    expect(methods.body.methods).toEqual(['passkey', 'backup_code']);
  });

  it('re-authentication with a passkey renews the session; the password form still works', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const device = new SoftAuthenticator();
    expect((await addPasskey(owner.client, device)).status).toBe(200);
    t.clock.advance(6 * 60_000);
    const stale = await addPasskey(owner.client, new SoftAuthenticator(), 'too late');
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('REAUTH_REQUIRED');

    const options = await owner.client.post('/v1/auth/reauth/passkey/options', {});
    expect(options.status).toBe(200);
    expect(options.body.userVerification).toBe('required');
    const oldToken = owner.client.token;
    const noUv = await owner.client.post('/v1/auth/reauth', {
      method: 'passkey',
      response: device.assert(options.body, { uv: false }),
    });
    expect(noUv.status).toBe(401);
    expect(noUv.body.error.code).toBe('PASSKEY_FAILED');
    const options2 = await owner.client.post('/v1/auth/reauth/passkey/options', {});
    const reauth = await owner.client.post('/v1/auth/reauth', {
      method: 'passkey',
      response: device.assert(options2.body),
    });
    expect(reauth.status).toBe(200);
    expect(owner.client.token).not.toBe(oldToken);
    expect(reauth.body.reauth_valid_until).toBe(new Date(t.clock.now() + 5 * 60_000).toISOString());
    expect((await addPasskey(owner.client, new SoftAuthenticator(), 'now')).status).toBe(200);
    // A login-purpose answer cannot re-authenticate (the challenge is bound to its purpose).
    t.clock.advance(6 * 60_000);
    const pending = await passwordStep(t, owner.login, owner.password);
    const loginOptions = await t.request('POST', '/v1/auth/second-factor/passkey/options', {
      body: {},
      headers: { cookie: `rk_pending=${pending}` },
    });
    const crossed = await owner.client.post('/v1/auth/reauth', {
      method: 'passkey',
      response: device.assert(loginOptions.body),
    });
    expect(crossed.status).toBe(401);
    await owner.client.reauth(); // the password form
  });

  it('10 simultaneous submissions of one right answer: exactly one signs in', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const device = new SoftAuthenticator();
    expect((await addPasskey(owner.client, device)).status).toBe(200);
    const pending = await passwordStep(t, owner.login, owner.password);
    const headers = { cookie: `rk_pending=${pending}` };
    const options = await t.request('POST', '/v1/auth/second-factor/passkey/options', { body: {}, headers });
    const answer = device.assert(options.body);
    const sessionsBefore = await t.db
      .selectFrom('staff_sessions')
      .select('id')
      .where('user_id', '=', owner.id)
      .execute();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.request('POST', '/v1/auth/second-factor', { body: { method: 'passkey', response: answer }, headers }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.every((a) => a.status === 200 || a.status === 401 || a.status === 423)).toBe(true);
    const sessionsAfter = await t.db
      .selectFrom('staff_sessions')
      .select('id')
      .where('user_id', '=', owner.id)
      .execute();
    expect(sessionsAfter.length).toBe(sessionsBefore.length + 1);
  });

  it('a burst of 50 wrong answers and the right one verifies at most 5 (the second-factor limit)', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const device = new SoftAuthenticator();
    const stranger = new SoftAuthenticator();
    expect((await addPasskey(owner.client, device)).status).toBe(200);
    const strangerOwner = await enrolledOwner(t, m.demo.merchant_id);
    expect((await addPasskey(strangerOwner.client, stranger)).status).toBe(200);

    const pending = await passwordStep(t, owner.login, owner.password);
    const headers = { cookie: `rk_pending=${pending}` };
    const options = await t.request('POST', '/v1/auth/second-factor/passkey/options', { body: {}, headers });
    const wrongs = Array.from({ length: 50 }, () => stranger.assert(options.body));
    const right = device.assert(options.body);
    const answers = await Promise.all(
      [...wrongs, right].map((response) =>
        t.request('POST', '/v1/auth/second-factor', { body: { method: 'passkey', response }, headers }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 423).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 423).length).toBeGreaterThanOrEqual(46);
    expect(statuses.every((s) => s === 401 || s === 423 || s === 200)).toBe(true);
    expect(await failuresOf(owner.id, 'auth.second_factor')).toBeGreaterThanOrEqual(46);
    const verified = await t.db
      .selectFrom('audit_log')
      .select('detail')
      .where('event', '=', 'auth.second_factor')
      .where('actor_id', '=', owner.id)
      .execute();
    expect(verified.filter((r) => String(r.detail).includes('wrong_code')).length).toBeLessThanOrEqual(5);
    // Locked now: the right answer on a fresh challenge is refused without being looked at.
    const locked = await passkeySignIn(owner, device);
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('SECOND_FACTOR_LOCKED');
  });
});
