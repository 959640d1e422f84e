#!/usr/bin/env node
// Build the console (/console) and the terminal app (/pos) with Vite when the build is missing or older than web/.
// Used by `npm start` and `npm test`; `--force` rebuilds anyway.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Two builds at once (a test run beside `npm start`, two test runs) would write dist/web over each other: the second
 * waits for the first, then finds the pages fresh. A lock older than 10 minutes is from a killed build and is taken over.
 */
function lock() {
  const dir = 'dist/.web-build.lock';
  mkdirSync('dist', { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(dir);
      const release = () => rmSync(dir, { recursive: true, force: true });
      process.on('exit', release);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - statSync(dir, { throwIfNoEntry: false })?.mtimeMs > 10 * 60_000)
        rmSync(dir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another build holds ${dir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
}

const force = process.argv.includes('--force');
lock();
// The pages bundle the SDK (src/sdk) too, so a change there rebuilds them as well.
const sources = Math.max(newest('web'), newest('src/sdk'), statSync('package-lock.json').mtimeMs);
for (const app of ['console', 'pos']) {
  const built = `dist/web/${app}/index.html`;
  if (!force && existsSync(built) && statSync(built).mtimeMs >= sources) continue;
  console.log(`构建页面 / building /${app} (vite)…`);
  const result = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '-c', `web/${app}/vite.config.ts`],
    // Always a production build: under `npm test` NODE_ENV is "test", which gives antd's test mode (every element the
    // id "test-id", so names from aria-labelledby are wrong) and React's development build.
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) {
    // No stale page may stand in for one that failed to build: its shell goes, so it answers "not built".
    rmSync(built, { force: true });
    process.exit(result.status ?? 1);
  }
}
