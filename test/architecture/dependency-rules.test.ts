// docs/architecture.md: the floors and the rules that keep them, checked by `npm run lint` (dependency-cruiser).
// These tests show that the rules hold for the tree as it is and that they do catch what they are for: a cycle, a
// module importing one above it, a module reaching into the HTTP layer, a module reaching past another's index.ts.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

async function cruise(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(DEPCRUISE, ['src', '--config', '.dependency-cruiser.cjs'], { cwd });
    return { code: 0, out: stripVTControlCharacters(stdout) };
  } catch (error) {
    // Under CI=true dependency-cruiser colours its report: the colours are taken out before reading it.
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: stripVTControlCharacters(e.stdout) };
  }
}

describe('architecture rules', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A small tree of our own, judged by the project's own rules. */
  function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'rk-arch-'));
    dirs.push(dir);
    cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext' } }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  it('the tree as it stands passes', async () => {
    const { code, out } = await cruise(ROOT);
    expect(out).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  // One tree holds the four kinds of violation, each in files of its own, so that one cruise (a second or two of
  // CPU each) shows every rule catching its own files; each test names the rule and the files it must be reported for.
  let judged: Promise<{ code: number; out: string }> | undefined;
  function violations(): Promise<{ code: number; out: string }> {
    judged ??= cruise(
      tree({
        // a cycle between two files
        'src/modules/staff/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src/modules/staff/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
        // a module importing a module on a higher floor
        'src/modules/refunds/refund.ts': 'export const refund = 1;\n',
        'src/modules/authorization/decide.ts':
          "import { refund } from '../refunds/refund.js';\nexport const d = refund;\n",
        // a module reaching into the HTTP layer, and a module without a floor
        'src/http/server.ts': 'export const server = 1;\n',
        'src/modules/sales/x.ts': "import { server } from '../../http/server.js';\nexport const x = server;\n",
        'src/modules/newcomer/y.ts': 'export const y = 1;\n',
        'src/modules/sales/z.ts': "import { y } from '../newcomer/y.js';\nexport const z = y;\n",
        // a module reaching past another module's index.ts into one of its files (staff stands below sales)
        'src/modules/staff/staff-thing.ts': 'export const thing = 1;\n',
        'src/modules/sales/w.ts': "import { thing } from '../staff/staff-thing.js';\nexport const w = thing;\n",
        // and the same through staff's index.ts, which is how it is done
        'src/modules/staff/index.ts': "export { thing } from './staff-thing.js';\n",
        'src/modules/sales/v.ts': "import { thing } from '../staff/index.js';\nexport const v = thing;\n",
      }),
    );
    return judged;
  }

  it('a cycle between two files fails', async () => {
    const { code, out } = await violations();
    expect(code).not.toBe(0);
    expect(out).toMatch(/no-circular: src\/modules\/staff\/[ab]\.ts → /);
  });

  it('a module importing a module on a higher floor fails (authorization → refunds)', async () => {
    const { code, out } = await violations();
    expect(code).not.toBe(0);
    expect(out).toMatch(
      /floor-authorization: src\/modules\/authorization\/decide\.ts → src\/modules\/refunds\/refund\.ts/,
    );
  });

  it('a module reaching into the HTTP layer, or a module without a floor, fails', async () => {
    const { code, out } = await violations();
    expect(code).not.toBe(0);
    expect(out).toMatch(/modules-below-the-app: src\/modules\/sales\/x\.ts → src\/http\/server\.ts/);
    expect(out).toMatch(/module-has-a-floor: src\/modules\/sales\/z\.ts → src\/modules\/newcomer\/y\.ts/);
  });

  it("a module importing another module's file instead of its index.ts fails (sales → staff)", async () => {
    const { code, out } = await violations();
    expect(code).not.toBe(0);
    expect(out).toContain('module-through-its-index: src/modules/sales/w.ts → src/modules/staff/staff-thing.ts');
    expect(out).not.toContain('src/modules/sales/v.ts');
    expect(out).not.toContain('src/modules/staff/index.ts →');
  });
});
