import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundle the `refundkey` command from src/ into one file, once per run, for the suites that start it as a process:
 * starting it through tsx compiled the sources again in every process (about a second of CPU each). Packages stay
 * external (native modules), resolved from the project's node_modules; the file sits two levels below the root, as
 * dist/cli/index.js does, so that `--version` finds package.json. Same entry behaviour as bin/refundkey.js.
 */
export async function buildCli(): Promise<string> {
  const dir = join(ROOT, '.tmp', `test-cli-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import { main } from '../../src/cli/index.ts';
main(process.argv.slice(2)).then(
  (code) => { if (code !== undefined) process.exitCode = code; },
  (error) => { console.error(error instanceof Error ? error.message : error); process.exitCode = 1; },
);`,
  );
  // Split into chunks as the compiled dist/ is split into files: each command's packages load only when it runs, so a
  // `refundkey pos` process does not load the server (one file would import every package at start, ~1 s each).
  await build({
    entryPoints: { refundkey: entry },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return join(dir, 'refundkey.mjs');
}
