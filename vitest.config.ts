import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Fixture secrets are hashed at a low Argon2id cost unless a suite asks for the real one (test/support/hash-cost.ts);
    // a failed browser journey prints what its open pages showed (test/support/report-failures.ts).
    setupFiles: ['test/support/hash-cost.ts', 'test/support/report-failures.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default on 2 cores is one worker (cores - 1), which ran the suite file after file while the CPU waited on
    // PostgreSQL, fsync and child processes about a third of the time. Each file has databases of its own, so files can
    // overlap; three at once keeps both cores busy without starving the timing-sensitive suites.
    maxWorkers: Number(process.env.TEST_WORKERS ?? 3),
    // Files in one worker share loaded modules instead of importing fastify, zod, kysely and the app again per file:
    // that import was about 40 % of the suite's CPU. Safe here because every suite builds its own app on its own
    // database and restores what it stubs (vi.restoreAllMocks, vi.unstubAllEnvs); TEST_ISOLATE=1 brings isolation back.
    isolate: process.env.TEST_ISOLATE === '1',
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
