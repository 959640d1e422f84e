import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default on 2 cores is one worker (cores - 1), which ran the suite file after file while the CPU waited on
    // PostgreSQL, fsync and child processes about a third of the time. Each file has databases of its own, so files can
    // overlap; three at once keeps both cores busy without starving the timing-sensitive suites.
    maxWorkers: Number(process.env.TEST_WORKERS ?? 3),
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
