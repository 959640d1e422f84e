// SECURITY.md "Passkeys": the relying party is a setting (WEBAUTHN_RP_ID, WEBAUTHN_ORIGIN) that defaults to the host
// the request came to; an answer made for another origin or relying party is refused; a challenge lives 5 minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import type { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { enrolledOwner, passwordStep } from './mfa-helpers.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

describe.each(DIALECTS)('passkey relying party and challenge lifetime [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  async function register(client: StaffClient, device: SoftAuthenticator, host?: string) {
    const headers: Record<string, string> = host ? { host } : {};
    const options = await client.post('/v1/me/passkeys/options', {}, { headers });
    expect(options.status).toBe(200);
    return { options, answer: (opts = {}) => device.register(options.body, opts), headers };
  }

  it('defaults to the Host of the request: RP id its hostname, origin its scheme://host', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const host = 'console.example.test:8443';
    const device = new SoftAuthenticator('console.example.test', 'http://console.example.test:8443');
    const { options, answer, headers } = await register(owner.client, device, host);
    expect(options.body.rp).toEqual({ id: 'console.example.test', name: 'Refundkey' });
    // The same answer made on another origin, or for another RP id, is refused; the right one is accepted.
    const before = await t.checksum();
    const otherOrigin = await owner.client.post(
      '/v1/me/passkeys',
      { name: 'x', response: answer({ origin: 'http://localhost' }) },
      { headers },
    );
    expect(otherOrigin.status).toBe(401);
    expect(otherOrigin.body.error.code).toBe('PASSKEY_FAILED');
    expect(await t.changedSince(before)).toEqual(['webauthn_challenges']);
    const again = await register(owner.client, device, host);
    const otherRp = await owner.client.post(
      '/v1/me/passkeys',
      { name: 'x', response: again.answer({ rpId: 'localhost' }) },
      { headers },
    );
    expect(otherRp.status).toBe(401);
    const third = await register(owner.client, device, host);
    const ok = await owner.client.post('/v1/me/passkeys', { name: 'ok', response: third.answer() }, { headers });
    expect(ok.status).toBe(200);
    // Signing in on that host works; on localhost the answer (made for console.example.test) does not.
    const pending = await passwordStep(t, owner.login, owner.password);
    const signInHeaders = { cookie: `rk_pending=${pending}`, host };
    const signIn = await t.request('POST', '/v1/auth/second-factor/passkey/options', {
      body: {},
      headers: signInHeaders,
    });
    expect(signIn.body.rpId).toBe('console.example.test');
    const wrongHost = await t.request('POST', '/v1/auth/second-factor', {
      body: { method: 'passkey', response: device.assert(signIn.body) },
      headers: { cookie: `rk_pending=${pending}` },
    });
    expect(wrongHost.status).toBe(401);
    const signIn2 = await t.request('POST', '/v1/auth/second-factor/passkey/options', {
      body: {},
      headers: signInHeaders,
    });
    const right = await t.request('POST', '/v1/auth/second-factor', {
      body: { method: 'passkey', response: device.assert(signIn2.body) },
      headers: signInHeaders,
    });
    expect(right.status).toBe(200);
  });

  it('a challenge lives 5 minutes: an answer at 5 minutes is refused, one just before is accepted', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const device = new SoftAuthenticator();
    const late = await register(owner.client, device);
    t.clock.advance(5 * 60_000);
    await owner.client.reauth();
    const refused = await owner.client.post('/v1/me/passkeys', { name: 'late', response: late.answer() });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('PASSKEY_FAILED');
    const inTime = await register(owner.client, device);
    t.clock.advance(5 * 60_000 - 1);
    await owner.client.reauth();
    const accepted = await owner.client.post('/v1/me/passkeys', { name: 'in time', response: inTime.answer() });
    expect(accepted.status).toBe(200);
    const overview = await owner.client.get('/v1/me/second-factors');
    expect(overview.body.factors.map((f: { kind: string; name?: string }) => [f.kind, f.name ?? null])).toEqual([
      ['totp', null],
      ['passkey', 'in time'],
    ]);
  });
});

describe.each(DIALECTS)('passkey relying party from settings [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect, { env: { WEBAUTHN_ORIGIN: 'https://pos.example.com' } });
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('WEBAUTHN_ORIGIN sets the origin and, without WEBAUTHN_RP_ID, the RP id; the QR payload uses it too', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    const options = await owner.client.post('/v1/me/passkeys/options', {});
    expect(options.body.rp.id).toBe('pos.example.com');
    const localhost = new SoftAuthenticator();
    const refused = await owner.client.post('/v1/me/passkeys', {
      name: 'x',
      response: localhost.register(options.body),
    });
    expect(refused.status).toBe(401);
    const device = new SoftAuthenticator('pos.example.com', 'https://pos.example.com');
    const again = await owner.client.post('/v1/me/passkeys/options', {});
    const ok = await owner.client.post('/v1/me/passkeys', { name: 'x', response: device.register(again.body) });
    expect(ok.status).toBe(200);
    const qr = await t.request('POST', '/v1/auth/qr-logins', { body: {} });
    expect(qr.body.qr_payload).toMatch(/^https:\/\/pos\.example\.com\/console\/qr\/qrl_/);
    t.secrets.add('QR login secret', new URL(qr.body.qr_payload).searchParams.get('c'));
  });
});
