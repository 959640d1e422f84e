// Argon2id runs in a bounded pool: a full queue refuses at once with 429 BUSY rather than stalling every request behind
// it, and a refusal is never a `false` (which would count as a wrong secret).
import { afterAll, describe, expect, it } from 'vitest';
import { useProductionHashCost } from '../../test/support/hash-cost.js';
import { AppError } from './errors.js';
import { Argon2Pool, hashSecret, verifySecret } from './hashing.js';

// Subject: the hashing itself, at the product's cost.
useProductionHashCost();

describe('Argon2id pool', () => {
  const pool = new Argon2Pool({ size: 1, queueLimit: 2 });
  afterAll(() => pool.close());

  it('hashes and verifies through the shared pool; a malformed hash verifies nothing', async () => {
    const hashed = await hashSecret('correct horse');
    expect(hashed.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    await expect(verifySecret(hashed, 'correct horse')).resolves.toBe(true);
    await expect(verifySecret(hashed, 'wrong horse')).resolves.toBe(false);
    await expect(verifySecret('not a hash', 'correct horse')).resolves.toBe(false);
  });

  it('refuses past the queue limit with BUSY and retry_after_s, and finishes what it accepted', async () => {
    const hashed = await pool.hash('k');
    // One computing, two queued; the fourth is refused.
    const accepted = [pool.verify(hashed, 'k'), pool.verify(hashed, 'x'), pool.verify(hashed, 'k')];
    const refused = await pool.verify(hashed, 'k').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 429, code: 'BUSY', extra: { retry_after_s: 1 } });
    await expect(Promise.all(accepted)).resolves.toEqual([true, false, true]);
    // Room again once the queue drained.
    await expect(pool.verify(hashed, 'k')).resolves.toBe(true);
  });

  it('ARGON2_THREADS: setThreads changes the threads and the queue limit with them (32 waiting per thread)', async () => {
    const sized = new Argon2Pool({ size: 1 });
    try {
      const hashed = await sized.hash('k');
      const burst = async (n: number) => {
        const answers = await Promise.allSettled(Array.from({ length: n }, () => sized.verify(hashed, 'k')));
        return answers.filter((a) => a.status === 'rejected').length;
      };
      // 1 thread: 1 computing + 32 waiting; the rest of a burst of 40 is refused.
      expect(await burst(40)).toBe(7);
      sized.setThreads(2);
      expect(sized.threads).toBe(2);
      // 2 threads: 2 computing + 64 waiting.
      expect(await burst(70)).toBe(4);
      sized.setThreads(1);
      expect(await burst(40)).toBe(7);
    } finally {
      await sized.close();
    }
  });
});
