// Issue 12 item 4 and docs/security.md "QR login" (扫码登录): a browser starts a request (2 minutes, single use) and is
// bound to it by an HttpOnly cookie; a signed-in owner, manager or admin sees where it comes from and approves with a
// second factor (TOTP or passkey) or denies; the bound browser's poll gets the approver's session exactly once.
// Refused: expired, already used, wrong secret, another browser, a cashier; every refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolledOwner, person, totpCode } from '../mfa/mfa-helpers.js';
import { SoftAuthenticator } from '../mfa/support/soft-authenticator.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient, sessionCookieOf } from '../support/staff-client.js';
import { type Answer, type SeededMerchant, TestApp } from '../support/test-app.js';

const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe.each(DIALECTS)('QR login [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  /** A browser starts a QR login: its id, the secret from the QR code and the browser's binding cookie. */
  async function start(): Promise<{ id: string; c: string; cookie: string; answer: Answer }> {
    const answer = await t.request('POST', '/v1/auth/qr-logins', {
      body: {},
      headers: { 'user-agent': CHROME_ON_WINDOWS },
    });
    expect(answer.status).toBe(200);
    const url = new URL(answer.body.qr_payload);
    const c = url.searchParams.get('c') ?? '';
    t.secrets.add('QR login secret', c);
    const line = ([] as string[]).concat(answer.headers['set-cookie'] as string[]).find((l) => l.startsWith('rk_qr='));
    const cookie = /^rk_qr=([^;]*)/.exec(line ?? '')?.[1] ?? '';
    return { id: answer.body.id, c, cookie, answer };
  }

  const poll = (id: string, cookie?: string) =>
    t.request('GET', `/v1/auth/qr-logins/${id}`, { headers: cookie ? { cookie: `rk_qr=${cookie}` } : {} });

  /** A TOTP code of the approver not used before (each step is accepted once): the clock moves a step first. */
  function freshCode(secret: string): string {
    t.clock.advance(30_000);
    return totpCode(secret, t.clock.now());
  }

  it('start, inspect, approve with TOTP: the bound browser is signed in once as the approver', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const qr = await start();
    expect(qr.answer.body).toEqual({
      id: expect.stringMatching(/^qrl_/),
      qr_payload: `http://localhost/console/qr/${qr.id}?c=${encodeURIComponent(qr.c)}`,
      expires_at: new Date(t.clock.now() + 2 * 60_000).toISOString(),
    });
    const cookieLine = ([] as string[])
      .concat(qr.answer.headers['set-cookie'] as string[])
      .find((l) => l.startsWith('rk_qr='));
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Strict/);
    expect(cookieLine).toMatch(/Path=\/v1\/auth\/qr-logins/);
    const row = await t.db.selectFrom('qr_logins').selectAll().where('id', '=', qr.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(qr.c);
    expect(JSON.stringify(row)).not.toContain(qr.cookie);

    expect((await poll(qr.id, qr.cookie)).body).toEqual({ status: 'pending' });
    const inspected = await owner.client.post(`/v1/qr-logins/${qr.id}/inspect`, { c: qr.c });
    expect(inspected.status).toBe(200);
    expect(inspected.body).toMatchObject({
      id: qr.id,
      browser: 'Chrome 131 · Windows',
      ip: '127.0.0.1',
      created_at: new Date(t.clock.now()).toISOString(),
    });
    const approved = await owner.client.post(`/v1/qr-logins/${qr.id}/approve`, {
      c: qr.c,
      method: 'totp',
      code: freshCode(owner.secret),
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ status: 'approved' });

    const signedIn = await poll(qr.id, qr.cookie);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ status: 'signed_in', second_factor_enrolment_required: false });
    expect(signedIn.body.user.id).toBe(owner.id);
    const token = sessionCookieOf(signedIn);
    const me = await t.request('GET', '/v1/auth/me', { headers: { cookie: `rk_session=${token}` } });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(owner.id);
    expect((await poll(qr.id, qr.cookie)).body).toEqual({ status: 'used' });

    const events = await t.db
      .selectFrom('audit_log')
      .select(['event', 'outcome'])
      .where('object_id', '=', qr.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.event)).toEqual(['qr_login.created', 'qr_login.inspected', 'qr_login.approved']);
    const login = await t.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('event', '=', 'auth.login')
      .where('actor_id', '=', owner.id)
      .where('outcome', '=', 'success')
      .execute();
    expect(login.some((r) => String(r.detail).includes(qr.id))).toBe(true);
  });

  it('a code shown on a terminal: an owner of another merchant is refused (as if it did not exist), its own approves', async () => {
    const shown = await t.request('POST', '/v1/terminal/qr-logins', {
      body: {},
      headers: { authorization: `Bearer ${m.terminal.key}`, 'user-agent': CHROME_ON_WINDOWS },
    });
    expect(shown.status).toBe(200);
    const id = shown.body.id as string;
    const c = new URL(shown.body.qr_payload).searchParams.get('c') ?? '';
    t.secrets.add('QR login secret', c);
    const line = ([] as string[]).concat(shown.headers['set-cookie'] as string[]).find((l) => l.startsWith('rk_qr='));
    const cookie = /^rk_qr=([^;]*)/.exec(line ?? '')?.[1] ?? '';
    expect(cookie).not.toBe('');

    const other = await t.seedMerchant();
    const stranger = await enrolledOwner(t, other.demo.merchant_id);
    const before = await t.checksum();
    for (const step of ['inspect', 'approve', 'deny'] as const) {
      const body = step === 'approve' ? { c, method: 'totp', code: freshCode(stranger.secret) } : { c };
      const refused = await stranger.client.post(`/v1/qr-logins/${id}/${step}`, body);
      expect([step, refused.status, refused.body.error?.code]).toEqual([step, 404, 'QR_LOGIN_NOT_FOUND']);
    }
    expect(await t.changedSince(before)).toEqual([]);
    expect((await poll(id, cookie)).body).toEqual({ status: 'pending' });

    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const inspected = await owner.client.post(`/v1/qr-logins/${id}/inspect`, { c });
    expect(inspected.status).toBe(200);
    expect(inspected.body.terminal_id).toBe(m.terminal.id);
    const approved = await owner.client.post(`/v1/qr-logins/${id}/approve`, {
      c,
      method: 'totp',
      code: freshCode(owner.secret),
    });
    expect(approved.body).toEqual({ status: 'approved' });
    const signedIn = await poll(id, cookie);
    expect(signedIn.body).toMatchObject({ status: 'signed_in' });
    expect(signedIn.body.user.id).toBe(owner.id);
    const created = await t.db
      .selectFrom('audit_log')
      .select(['merchant_id', 'actor_type', 'actor_id'])
      .where('object_id', '=', id)
      .where('event', '=', 'qr_login.created')
      .executeTakeFirstOrThrow();
    expect(created).toEqual({ merchant_id: m.demo.merchant_id, actor_type: 'terminal', actor_id: m.terminal.id });
  });

  it('a terminal QR login needs the terminal key', async () => {
    const before = await t.checksum();
    const refused = await t.request('POST', '/v1/terminal/qr-logins', { body: {} });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'TERMINAL_KEY_INVALID']);
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('approve with a passkey (its challenge bound to the request)', async () => {
    const manager = await person(t, m.demo.merchant_id, 'manager');
    const client = await StaffClient.signIn(t, manager.login, manager.password);
    const device = new SoftAuthenticator();
    const options = await client.post('/v1/me/passkeys/options', {});
    expect(
      (await client.post('/v1/me/passkeys', { name: 'phone', response: device.register(options.body) })).status,
    ).toBe(200);
    const qr = await start();
    const other = await start();
    const challenge = await client.post(`/v1/qr-logins/${qr.id}/passkey-options`, { c: qr.c });
    expect(challenge.status).toBe(200);
    expect(challenge.body.userVerification).toBe('required');
    // An answer for this request cannot approve another one.
    const crossed = await client.post(`/v1/qr-logins/${other.id}/approve`, {
      c: other.c,
      method: 'passkey',
      response: device.assert(challenge.body),
    });
    expect(crossed.status).toBe(401);
    expect(crossed.body.error.code).toBe('PASSKEY_FAILED');
    const challenge2 = await client.post(`/v1/qr-logins/${qr.id}/passkey-options`, { c: qr.c });
    const approved = await client.post(`/v1/qr-logins/${qr.id}/approve`, {
      c: qr.c,
      method: 'passkey',
      response: device.assert(challenge2.body),
    });
    expect(approved.status).toBe(200);
    const signedIn = await poll(qr.id, qr.cookie);
    expect(signedIn.body.status).toBe('signed_in');
    expect(signedIn.body.user.id).toBe(manager.id);
  });

  it('expired after 2 minutes: inspect, approve and deny refused (410), the poll says expired, nothing changes', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const qr = await start();
    t.clock.advance(2 * 60_000 - 1);
    expect((await poll(qr.id, qr.cookie)).body).toEqual({ status: 'pending' });
    t.clock.advance(1);
    const code = totpCode(owner.secret, t.clock.now() + 30_000);
    const before = await t.checksum();
    for (const [step, body] of [
      ['inspect', { c: qr.c }],
      ['approve', { c: qr.c, method: 'totp', code }],
      ['deny', { c: qr.c }],
    ] as const) {
      const refused = await owner.client.post(`/v1/qr-logins/${qr.id}/${step}`, body);
      expect(refused.status).toBe(410);
      expect(refused.body.error.code).toBe('QR_LOGIN_EXPIRED');
    }
    expect((await poll(qr.id, qr.cookie)).body).toEqual({ status: 'expired' });
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('used, approved or denied once: every later decision is refused (409); deny shows as denied', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const qr = await start();
    const denied = await owner.client.post(`/v1/qr-logins/${qr.id}/deny`, { c: qr.c });
    expect(denied.status).toBe(200);
    expect(denied.body).toEqual({ status: 'denied' });
    expect((await poll(qr.id, qr.cookie)).body).toEqual({ status: 'denied' });
    const before = await t.checksum();
    const late = await owner.client.post(`/v1/qr-logins/${qr.id}/approve`, {
      c: qr.c,
      method: 'totp',
      code: freshCode(owner.secret),
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('QR_LOGIN_ALREADY_USED');
    expect(await t.changedSince(before)).toEqual([]);

    const used = await start();
    await owner.client.post(`/v1/qr-logins/${used.id}/approve`, {
      c: used.c,
      method: 'totp',
      code: freshCode(owner.secret),
    });
    expect((await poll(used.id, used.cookie)).body.status).toBe('signed_in');
    const beforeReuse = await t.checksum();
    for (const step of ['inspect', 'deny'] as const) {
      const again = await owner.client.post(`/v1/qr-logins/${used.id}/${step}`, { c: used.c });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('QR_LOGIN_ALREADY_USED');
    }
    expect(await t.changedSince(beforeReuse)).toEqual([]);
  });

  it('a wrong secret, an unknown id or another browser get the same 404 (no cookie: 401) and change nothing', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const qr = await start();
    const mine = await start();
    const before = await t.checksum();
    for (const [id, c] of [
      [qr.id, mine.c],
      [qr.id, `${qr.c}x`],
      ['qrl_nosuchrequest', qr.c],
    ] as const) {
      const refused = await owner.client.post(`/v1/qr-logins/${id}/inspect`, { c });
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('QR_LOGIN_NOT_FOUND');
      const approve = await owner.client.post(`/v1/qr-logins/${id}/approve`, { c, method: 'totp', code: '000000' });
      expect(approve.status).toBe(404);
      expect(approve.body.error.code).toBe('QR_LOGIN_NOT_FOUND');
    }
    expect(await t.changedSince(before)).toEqual([]);

    const approved = await owner.client.post(`/v1/qr-logins/${qr.id}/approve`, {
      c: qr.c,
      method: 'totp',
      code: freshCode(owner.secret),
    });
    expect(approved.status).toBe(200);
    const beforePoll = await t.checksum();
    for (const cookie of [mine.cookie, `${qr.cookie}x`]) {
      const stranger = await poll(qr.id, cookie);
      expect(stranger.status).toBe(404);
      expect(stranger.body.error.code).toBe('QR_LOGIN_NOT_FOUND');
      expect(sessionCookieOf(stranger)).toBeUndefined();
    }
    const noCookie = await poll(qr.id);
    expect(noCookie.status).toBe(401);
    expect(noCookie.body.error.code).toBe('QR_LOGIN_BROWSER_REQUIRED');
    expect(await t.changedSince(beforePoll)).toEqual([]);
    expect((await poll(qr.id, qr.cookie)).body.status).toBe('signed_in');
  });

  it('a wrong TOTP code is refused and counted; a cashier may not approve', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const qr = await start();
    const right = freshCode(owner.secret);
    const wrongCode = right === '000000' ? '000001' : '000000';
    const refused = await owner.client.post(`/v1/qr-logins/${qr.id}/approve`, {
      c: qr.c,
      method: 'totp',
      code: wrongCode,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('SECOND_FACTOR_FAILED');
    expect((await poll(qr.id, qr.cookie)).body).toEqual({ status: 'pending' });

    const cashier = await person(t, m.demo.merchant_id, 'cashier');
    const client = await StaffClient.signIn(t, cashier.login, cashier.password);
    const before = await t.checksum();
    const forbidden = await client.post(`/v1/qr-logins/${qr.id}/inspect`, { c: qr.c });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('a burst of 30 simultaneous polls after approval gives exactly one session', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const qr = await start();
    await owner.client.post(`/v1/qr-logins/${qr.id}/approve`, {
      c: qr.c,
      method: 'totp',
      code: freshCode(owner.secret),
    });
    const sessionsBefore = await t.db
      .selectFrom('staff_sessions')
      .select('id')
      .where('user_id', '=', owner.id)
      .execute();
    const answers = await Promise.all(Array.from({ length: 30 }, () => poll(qr.id, qr.cookie)));
    const statuses = answers.map((a) => a.body.status);
    expect(statuses.filter((s) => s === 'signed_in')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'used')).toHaveLength(29);
    expect(answers.filter((a) => sessionCookieOf(a) !== undefined)).toHaveLength(1);
    const sessionsAfter = await t.db
      .selectFrom('staff_sessions')
      .select('id')
      .where('user_id', '=', owner.id)
      .execute();
    expect(sessionsAfter.length).toBe(sessionsBefore.length + 1);
  });
});
