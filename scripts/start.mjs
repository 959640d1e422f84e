#!/usr/bin/env node
// `npm start`: compile the server and build the pages if either is missing or older than its sources, then serve with
// demo data on first start.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = 'dist/cli/index.js';
if (!existsSync(built) || statSync(built).mtimeMs < newest('src')) {
  console.log('构建中 / building (tsc)…');
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
// The console (/console) and the terminal app (/pos), rebuilt by Vite when web/ changed.
const pages = spawnSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
if (pages.status !== 0) process.exit(pages.status ?? 1);
const { main } = await import('../dist/cli/index.js');
try {
  process.exitCode = await main(['serve', '--demo', ...process.argv.slice(2)]);
} catch (error) {
  // Problems a user can fix are printed by main() itself; anything else gets its message, not a stack trace.
  console.error(`refundkey: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
