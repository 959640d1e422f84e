// A new operator's password is hashed before the transaction that creates the operator (docs/architecture.md "Rules
// every transaction keeps"): a transaction never holds its locks (on SQLite the one write lock, and every transaction
// committing in its group) while an Argon2id thread works. Shown with the pool full: the request is refused with 429
// BUSY before any transaction begins, so nothing was locked, and nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argon2Pool } from '../../src/lib/hashing.js';
import { DIALECTS } from '../support/databases.js';
import { FIXTURE_HASH_COST } from '../support/hash-cost.js';
import type { StaffClient } from '../support/staff-client.js';
import { TestApp } from '../support/test-app.js';
import { hire, provisionedMerchant, signedInAdmin } from './provisioning-helpers.js';

/** What the pool holds at most: one computation per thread running, 32 per thread queued (src/lib/hashing.ts). */
const poolCapacity = () => argon2Pool.threads * 33;
/** A cost whose verification keeps a thread busy for about a second: the pool stays full while the request runs. */
const SLOW = { memoryCost: 4096, timeCost: 300, parallelism: 1 } as const;

describe.each(DIALECTS)('an operator is created without hashing inside its transaction [%s]', (dialect) => {
  let t: TestApp;
  let m: Awaited<ReturnType<typeof provisionedMerchant>>;
  let admin: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    admin = await signedInAdmin(t);
    m = await provisionedMerchant(t, admin);
  });
  afterAll(async () => {
    argon2Pool.useHashCost(FIXTURE_HASH_COST);
    await t?.close();
  });

  it('with the Argon2id pool full, the request is refused 429 BUSY and no transaction was begun', async () => {
    const cashier = await hire(t, m.owner, 'cashier', [m.storeId]);
    argon2Pool.useHashCost(SLOW);
    const slow = await argon2Pool.hash('keeps the pool busy');
    argon2Pool.useHashCost(FIXTURE_HASH_COST);
    const fillers = Array.from({ length: poolCapacity() }, () => argon2Pool.verify(slow, 'wrong').catch(() => false));
    const statements: string[] = [];
    const stop = t.services.database.onQuery((text) => statements.push(text.trim().toLowerCase()));
    const before = await t.checksum();
    let answer: Awaited<ReturnType<StaffClient['post']>>;
    try {
      answer = await m.owner.post('/v1/operators', { store_id: m.storeId, staff_id: cashier.id, operator_no: '42' });
    } finally {
      stop();
      // The queued verifications are dropped (they fail) and the threads stopped; the pool starts new ones on demand.
      await argon2Pool.close();
      await Promise.all(fillers);
    }
    expect([answer.status, answer.body.error?.code], JSON.stringify(answer.body)).toEqual([429, 'BUSY']);
    expect(statements.filter((text) => text.startsWith('begin'))).toEqual([]);
    expect(await t.changedSince(before)).toEqual([]);
    // With the pool free again the same request succeeds.
    const created = await m.owner.post('/v1/operators', {
      store_id: m.storeId,
      staff_id: cashier.id,
      operator_no: '42',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });
});
