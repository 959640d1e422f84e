import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Files that parse JSON that is not a database column, with why: the package's own manifest, a file the CLI wrote
 * itself, a message text built by lib/i18n.ts, the column codec, which is where every column is parsed, and the
 * terminal SDK's own store of pending operations (a browser's localStorage or a file, never our database).
 */
const NOT_COLUMNS = new Set([
  'src/cli/index.ts',
  'src/cli/serve.ts',
  'src/lib/i18n.ts',
  'src/lib/json-column.ts',
  'src/sdk/client.ts',
  'src/sdk/file-store.ts',
  'src/sdk/pending-list.ts',
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

// docs/architecture.md, "Parse once": a JSON column becomes a value through its JsonColumn codec, declared beside its
// table; nowhere else is its text parsed and its type asserted.
describe('parse once', () => {
  it('no `JSON.parse(...) as` outside the column codecs', () => {
    const offenders = sources(join(ROOT, 'src'))
      .map((file) => relative(ROOT, file))
      .filter((file) => !NOT_COLUMNS.has(file))
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .map((line, index) => ({ file, line: index + 1, text: line }))
          .filter(({ text }) => /JSON\.parse\(.*\)\)?\s+as\s/.test(text)),
      )
      .map(({ file, line, text }) => `${file}:${line}: ${text.trim()}`);
    expect(offenders).toEqual([]);
  });
});
