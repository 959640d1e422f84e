// ARGON2_THREADS (README "Settings"): the operator's number of Argon2id threads replaces the default when the app is
// composed, and refund keys still verify through the resized pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGON2_POOL_SIZE, argon2Pool } from '../../src/lib/hashing.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { refundWithKey } from './core-helpers.js';

describe('ARGON2_THREADS', () => {
  let t: TestApp;
  let m: SeededMerchant;
  const threads = ARGON2_POOL_SIZE + 2;
  beforeAll(async () => {
    t = await TestApp.start('sqlite', { env: { ARGON2_THREADS: String(threads) } });
    m = await t.seedMerchant();
  });
  afterAll(async () => {
    await t?.close();
    // The pool is the process's: the files that run after this one in the same worker get the default back.
    argon2Pool.setThreads(ARGON2_POOL_SIZE);
  });

  it('sizes the process pool at start, and refund keys verify through it', async () => {
    expect(argon2Pool.threads).toBe(threads);
    const sale = await m.terminal.sale(5_000);
    const { authorized } = await refundWithKey(m, m.terminal, sale.id, 1_000);
    expect(authorized?.status).toBe(200);
    expect(authorized?.body.status).toBe('succeeded');
  });
});
