// Issue 10 "Operations" 5: package.json `engines` says what the installed dependencies need. Regression: it said
// Node >= 20 while `cookie` 2 (under @fastify/cookie and Fastify's inject) requires Node >= 22, and the test tooling
// (vite) 22.12 on the 22 line. Every locked package that will be installed must accept our lowest supported version.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../bench/lib/processes.js';

// semver comes with npm's own toolchain and several of our dependencies; the test only reads ranges with it.
const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

interface LockEntry {
  version?: string;
  engines?: { node?: string };
  optional?: boolean;
}

describe('engines', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const lowest = semver.minVersion(pkg.engines.node)?.version ?? '';

  it('the lowest Node version we claim satisfies every dependency that is installed everywhere', () => {
    expect(lowest).toMatch(/^\d+\.\d+\.\d+$/);
    // Optional packages are platform-specific fallbacks (a wasm build for machines without a native one).
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path && !entry.optional && entry.engines?.node)
      .filter(([, entry]) => !semver.satisfies(lowest, entry.engines?.node ?? '*'))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version}: node ${entry.engines?.node}`);
    expect(refusing).toEqual([]);
  });

  it('is no looser than needed: cookie 2 really requires Node 22, so 20 is not claimed', () => {
    expect(semver.satisfies('20.19.0', pkg.engines.node)).toBe(false);
    expect(semver.satisfies('22.12.0', pkg.engines.node)).toBe(true);
    expect(semver.satisfies('24.0.0', pkg.engines.node)).toBe(true);
  });
});
