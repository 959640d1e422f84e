// docs/security.md "Attempt limits", Login row: 10 failed back-office logins in 30 min lock the login
// for 30 min, counted atomically in the database, with no user enumeration in answers or timing (PCI DSS 8.3.4,
// ASVS 5.0 6.3.8).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MINUTE } from '../../src/lib/clock.js';
import { argon2Pool } from '../../src/lib/hashing.js';
import { DIALECTS } from '../support/databases.js';
import { useProductionHashCost } from '../support/hash-cost.js';
import { StaffClient } from '../support/staff-client.js';
import { TestApp } from '../support/test-app.js';
import { createStaffUser } from './auth-helpers.js';

// The timing equaliser is compared with real stored hashes, and bursts race real verifications.
useProductionHashCost();

describe.each(DIALECTS)('login lockout [%s]', (dialect) => {
  let t: TestApp;
  let merchantId: string;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    merchantId = (await t.services.merchants.createMerchant({ name: 'Lockout 测试' })).id;
  });
  afterAll(async () => t?.close());

  const login = (id: string, password: string) =>
    t.request('POST', '/v1/auth/login', { body: { login: id, password } });

  it('locks after 10 failures in 30 min, refuses even the right password with 423 and retry_after_s, then unlocks', async () => {
    const user = await createStaffUser(t, merchantId, 'manager');
    for (let i = 0; i < 10; i++) {
      t.clock.advance(MINUTE);
      expect((await login(user.login, `wrong-password-${i}`)).status).toBe(401);
    }
    const locked = await login(user.login, user.password);
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('LOGIN_LOCKED');
    expect(locked.body.error.retry_after_s).toBe(30 * 60);
    t.clock.advance(29 * MINUTE);
    expect((await login(user.login, user.password)).status).toBe(423);
    t.clock.advance(MINUTE + 1);
    expect((await login(user.login, user.password)).status).toBe(200);
    const lockouts = await t.db.selectFrom('audit_log').selectAll().where('event', '=', 'auth.lockout').execute();
    expect(lockouts.length).toBeGreaterThanOrEqual(1);
  });

  it('does not lock for 10 failures spread over more than 30 min', async () => {
    const user = await createStaffUser(t, merchantId, 'manager');
    for (let i = 0; i < 10; i++) {
      t.clock.advance(4 * MINUTE);
      expect((await login(user.login, `wrong-password-${i}`)).status).toBe(401);
    }
    expect((await login(user.login, user.password)).status).toBe(200);
  });

  it('a success resets the count', async () => {
    const user = await createStaffUser(t, merchantId, 'manager');
    for (let i = 0; i < 9; i++) await login(user.login, `wrong-password-${i}`);
    expect((await login(user.login, user.password)).status).toBe(200);
    for (let i = 0; i < 9; i++) await login(user.login, `wrong-password-${i}`);
    expect((await login(user.login, user.password)).status).toBe(200);
  });

  it('answers an unknown login id exactly like a known one, also when locked (no enumeration)', async () => {
    const user = await createStaffUser(t, merchantId, 'cashier');
    const unknown = `ghost-${Date.now()}@test.refundkey.test`;
    const known: unknown[] = [];
    const ghost: unknown[] = [];
    for (let i = 0; i < 11; i++) {
      const a = await login(user.login, `wrong-password-${i}`);
      const b = await login(unknown, `wrong-password-${i}`);
      expect(b.status).toBe(a.status);
      // Every answer has its own request id; everything else must be the same.
      known.push({ ...a.body, error: { ...a.body.error, request_id: undefined } });
      ghost.push({ ...b.body, error: { ...b.body.error, request_id: undefined } });
    }
    expect(ghost).toEqual(known);
    expect((known.at(-1) as { error: { code: string } }).error.code).toBe('LOGIN_LOCKED');
  });

  it('runs one Argon2id verification with the same cost for an unknown login id as for a wrong password', async () => {
    // Counted, not timed: a wall-clock comparison passed or failed with the machine's load. The spy passes every call
    // through to the real pool; it only records which stored hash each login verified against.
    const user = await createStaffUser(t, merchantId, 'manager');
    const verify = vi.spyOn(argon2Pool, 'verify');
    try {
      await login(user.login, 'wrong-password-cost');
      const known = verify.mock.calls.map(([hashed]) => hashed);
      verify.mockClear();
      await login(`nobody-${Date.now()}@x.test`, 'wrong-password-cost');
      const unknown = verify.mock.calls.map(([hashed]) => hashed);
      expect(known).toHaveLength(1);
      expect(unknown).toHaveLength(1);
      // Same algorithm, version and cost parameters ($argon2id$v=19$m=…,t=…,p=…$): the same work either way.
      const cost = (hashed: string | undefined) => hashed?.split('$').slice(1, 4).join('$');
      expect(cost(unknown[0])).toBe(cost(known[0]));
      expect(cost(known[0])).toMatch(/^argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
    } finally {
      verify.mockRestore();
    }
  });

  it('a burst of 12 wrong passwords gets exactly 10 verified; the rest and the right one are refused before checking', async () => {
    const user = await createStaffUser(t, merchantId, 'manager');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(user.login, `wrong-password-${i}`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(10).fill(401), 423, 423]);
    expect((await login(user.login, user.password)).status).toBe(423);
  });

  it('counts wrong re-authentication passwords toward the same lock', async () => {
    const user = await createStaffUser(t, merchantId, 'manager');
    const client = await StaffClient.signIn(t, user.login, user.password);
    for (let i = 0; i < 10; i++)
      expect((await client.post('/v1/auth/reauth', { password: `wrong-password-${i}` })).status).toBe(401);
    const locked = await client.post('/v1/auth/reauth', { password: user.password });
    expect(locked.status).toBe(423);
    expect((await login(user.login, user.password)).status).toBe(423);
  });
});
