// Argon2id's cost for fixtures (issue 11 item 6). Every suite's staff, operators and refund keys are hashed with
// docs/security.md's cost (m=19456 KiB, t=2) unless a file says otherwise; that was about 130 s of the run's CPU, spent
// on secrets no assertion looked at the cost of. This file, run before each test file (vitest.config.ts setupFiles),
// lowers the cost of new hashes to the smallest Argon2id allows in practice: the same algorithm, the same pool and
// code path, the same verification (which reads the cost from each hash). Suites about hashing, timing or attempt
// limits under bursts call useProductionHashCost() at their top, so what they examine is the product's real cost.
import { argon2Pool } from '../../src/lib/hashing.js';

export const FIXTURE_HASH_COST = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

argon2Pool.useHashCost(FIXTURE_HASH_COST);

/** For the suites whose subject is the hashing itself, its timing or its attempt limits: docs/security.md's cost. */
export function useProductionHashCost(): void {
  argon2Pool.useHashCost();
}
