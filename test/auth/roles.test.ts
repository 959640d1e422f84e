// docs/security.md "Passwords and refund keys" (changing a key): re-authentication ≤ 5 min old; and docs/security.md "What the tests try":
// every role against every route, other merchants' ids (404). Roles and store scope are checked on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/lib/clock.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { createStaffUser } from './auth-helpers.js';

const KEY = { new_key: 'Harbor-Nutmeg-Quill-58', confirm_key: 'Harbor-Nutmeg-Quill-58' };

describe.each(DIALECTS)('back-office roles, store scope and re-authentication [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let other: SeededMerchant;
  let storeA: string;
  let storeB: string;
  const signIn = async (user: { login: string; password: string }) => StaffClient.signIn(t, user.login, user.password);
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    other = await t.seedMerchant();
    storeA = m.demo.stores[0]?.id ?? '';
    storeB = m.demo.stores[1]?.id ?? '';
  });
  afterAll(async () => t?.close());

  it('a cashier cannot read, check or set the refund key (403 FORBIDDEN)', async () => {
    const cashier = await signIn(await createStaffUser(t, m.demo.merchant_id, 'cashier'));
    for (const answer of [
      await cashier.get('/v1/refund-key'),
      await cashier.post('/v1/refund-key/strength', { key: 'x' }),
      await cashier.post('/v1/refund-key', KEY),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('a platform admin is not merchant staff: cannot set a merchant refund key', async () => {
    const admin = await signIn(await createStaffUser(t, null, 'admin'));
    expect((await admin.post('/v1/refund-key', KEY)).status).toBe(403);
  });

  it('without a session every staff route answers 401', async () => {
    for (const [method, url] of [
      ['GET', '/v1/refund-key'],
      ['POST', '/v1/refund-key'],
      ['POST', '/v1/refund-key/change'],
      ['POST', '/v1/refund-key/strength'],
      ['GET', '/v1/audit'],
      ['POST', '/v1/auth/reauth'],
      ['POST', '/v1/auth/logout'],
      ['GET', '/v1/auth/me'],
    ] as const) {
      const beforeAnswer = await t.checksum();
      const answer = await t.request(method, url, method === 'POST' ? { body: {} } : {});
      expect(answer.status, `${method} ${url}`).toBe(401);
      expect(await t.changedSince(beforeAnswer)).toEqual([]);
    }
  });

  it('a manager scoped to store A may set store A’s key, not store B’s (404) nor the merchant-wide key (403)', async () => {
    const manager = await signIn(await createStaffUser(t, m.demo.merchant_id, 'manager', { storeIds: [storeA] }));
    expect((await manager.post('/v1/refund-key', { ...KEY, store_id: storeA })).status).toBe(200);
    const beforeB = await t.checksum();
    const b = await manager.post('/v1/refund-key', { ...KEY, store_id: storeB });
    expect(b.status).toBe(404);
    expect(b.body.error.code).toBe('NOT_FOUND');
    expect(await t.changedSince(beforeB)).toEqual([]);
    const beforeWide = await t.checksum();
    const wide = await manager.post('/v1/refund-key', KEY);
    expect(wide.status).toBe(403);
    expect(wide.body.error.code).toBe('FORBIDDEN');
    expect(await t.changedSince(beforeWide)).toEqual([]);
  });

  it('another merchant’s store is answered 404, as if it did not exist', async () => {
    const owner = await signIn(m.demo.owner);
    const foreign = other.demo.stores[0]?.id ?? '';
    const beforeAnswer = await t.checksum();
    const answer = await owner.post('/v1/refund-key', { ...KEY, store_id: foreign });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('NOT_FOUND');
    expect(await t.changedSince(beforeAnswer)).toEqual([]);
    expect(await t.services.refundKeys.verify(other.demo.merchant_id, foreign, KEY.new_key)).toBe(false);
  });

  it('refuses a key change when the last authentication is older than 5 minutes, until re-authenticated', async () => {
    const owner = await signIn(m.demo.owner);
    t.clock.advance(5 * MINUTE + 1);
    const beforeStale = await t.checksum();
    const stale = await owner.post('/v1/refund-key', KEY);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('REAUTH_REQUIRED');
    expect(await t.changedSince(beforeStale)).toEqual([]);
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, storeB, m.demo.refund_key)).toBe(true);
    await owner.reauth();
    t.clock.advance(5 * MINUTE);
    expect((await owner.post('/v1/refund-key', KEY)).status).toBe(200);
    t.clock.advance(1);
    const change = { old_key: KEY.new_key, new_key: 'Indigo-Osprey-Raft-93', confirm_key: 'Indigo-Osprey-Raft-93' };
    expect((await owner.post('/v1/refund-key/change', change)).body.error.code).toBe('REAUTH_REQUIRED');
  });

  it('a manager of the whole merchant may set the merchant-wide key', async () => {
    const manager = await signIn(m.demo.manager);
    expect(
      (
        await manager.post('/v1/refund-key', {
          new_key: 'Juniper-Parrot-Sail-71',
          confirm_key: 'Juniper-Parrot-Sail-71',
        })
      ).status,
    ).toBe(200);
  });
});
