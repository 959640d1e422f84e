// docs/security.md "Back-office sessions" (Timeouts): 15 min idle, 12 h absolute (PCI DSS 8.2.8; NIST AAL2), measured
// with the injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/lib/clock.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('session timeouts [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('ends a session idle for more than 15 minutes; activity moves the deadline', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    t.clock.advance(15 * MINUTE);
    expect((await owner.get('/v1/auth/me')).status).toBe(200);
    t.clock.advance(15 * MINUTE);
    expect((await owner.get('/v1/auth/me')).status).toBe(200);
    t.clock.advance(15 * MINUTE + 1);
    const beforeExpired = await t.checksum();
    const expired = await owner.get('/v1/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('SESSION_EXPIRED');
    // The refusal ends the expired session, and changes nothing else.
    expect(await t.changedSince(beforeExpired)).toEqual(['staff_sessions']);
    // Gone for good: coming back in time does not revive it.
    expect((await owner.get('/v1/auth/me')).status).toBe(401);
  });

  it('ends any session 12 hours after login, however active', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    for (let elapsed = 0; elapsed < 12 * HOUR - 10 * MINUTE; elapsed += 10 * MINUTE) {
      t.clock.advance(10 * MINUTE);
      expect((await owner.get('/v1/auth/me')).status).toBe(200);
    }
    t.clock.advance(10 * MINUTE);
    const beforeExpired = await t.checksum();
    const expired = await owner.get('/v1/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('SESSION_EXPIRED');
    // The refusal ends the expired session, and changes nothing else.
    expect(await t.changedSince(beforeExpired)).toEqual(['staff_sessions']);
  });

  it('re-authentication does not extend the absolute lifetime', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    for (let elapsed = 0; elapsed < 12 * HOUR - 10 * MINUTE; elapsed += 10 * MINUTE) {
      t.clock.advance(10 * MINUTE);
      await owner.reauth();
    }
    t.clock.advance(10 * MINUTE);
    expect((await owner.get('/v1/auth/me')).status).toBe(401);
  });
});
