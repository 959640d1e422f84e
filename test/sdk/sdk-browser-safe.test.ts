import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parseYuan, yuan } from '../../src/cli/pos-format.js';

// The terminal app (/pos) bundles src/sdk/index.ts for the browser: nothing reachable from it may need Node.
describe('the SDK entry is browser-safe', () => {
  it('bundles for the browser with no Node built-in reachable from index.ts', async () => {
    const result = await build({
      entryPoints: [new URL('../../src/sdk/index.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith('node:'))).toBe(false);
    expect(inputs.some((path) => path.endsWith('file-store.ts'))).toBe(false);
    expect(readFileSync(new URL('../../src/sdk/file-store.ts', import.meta.url), 'utf8')).toContain("from 'node:fs'");
  });
});

describe('refundkey pos amounts', () => {
  it('reads yuan with at most two decimals and shows fen as ¥1,234.56', () => {
    expect(parseYuan('12.5')).toBe(1_250);
    expect(parseYuan('¥1,234.56')).toBe(123_456);
    expect(parseYuan('300')).toBe(30_000);
    for (const bad of ['12.345', '-1', '0', 'abc', '1e3', '']) expect(parseYuan(bad)).toBeUndefined();
    expect(yuan(123_456)).toBe('¥1,234.56');
    expect(yuan(5)).toBe('¥0.05');
  });
});
