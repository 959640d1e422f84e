#!/usr/bin/env node
// Build the console (/console) and the terminal app (/pos) with Vite when the build is missing or older than web/.
// Used by `npm start` and `npm test`; `--force` rebuilds anyway.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const force = process.argv.includes('--force');
// The pages bundle the SDK (src/sdk) too, so a change there rebuilds them as well.
const sources = Math.max(newest('web'), newest('src/sdk'), statSync('package-lock.json').mtimeMs);
for (const app of ['console', 'pos']) {
  const built = `dist/web/${app}/index.html`;
  if (!force && existsSync(built) && statSync(built).mtimeMs >= sources) continue;
  console.log(`构建页面 / building /${app} (vite)…`);
  const result = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '-c', `web/${app}/vite.config.ts`],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    // No stale page may stand in for one that failed to build: its shell goes, so it answers "not built".
    rmSync(built, { force: true });
    process.exit(result.status ?? 1);
  }
}
