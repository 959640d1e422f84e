// Issue 10 "Operations" 6: the README walkthrough can be pasted as is, after `npm start` (serve --demo): it runs here in
// bash, unchanged, against the real server started the way npm start starts it, in a fresh project folder.
// Regression: on a restart the demo banner showed the activation code already used at the first start, the README used
// placeholders (XXXX, $KEY never set) and a port that was not the server's.
// Also: a restart gives the demo terminal a fresh code (banner and data/demo-credentials.json), and
// `refundkey terminals reissue-code` gives one that activates the terminal, after which the old code is refused.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../../bench/lib/processes.js';
import { call } from '../../bench/lib/terminal-api.js';
import { bundledCli } from '../support/server-process.js';

// The bundle's path is absolute and its packages resolve from the project, so it runs from any folder.
const NODE_ARGS = bundledCli();

/** The first ```sh block of a README section. */
function readmeBlock(section: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${section}`);
  const open = readme.indexOf('```sh\n', start);
  const close = readme.indexOf('\n```', open + 6);
  if (start < 0 || open < 0 || close < 0) throw new Error(`no sh block in README section "${section}"`);
  return readme.slice(open + 6, close);
}

describe('README walkthrough after npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refundkey-readme-'));
  let server: ChildProcess | undefined;
  let port: number;
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function stop(): Promise<void> {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((done) => server?.once('exit', done));
    server.kill('SIGTERM');
    await exited;
  }

  /** `refundkey serve --demo` (what npm start runs) in the project folder; its banner. */
  async function npmStart(): Promise<string> {
    server = spawn(process.execPath, [...NODE_ARGS, 'serve', '--demo', '--port', String(port)], {
      cwd: dir,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    server.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    for (const until = Date.now() + 60_000; !out.includes('-d \'{"activation_code"') && Date.now() < until; ) {
      if (server.exitCode !== null) break;
      await sleep(100);
    }
    await sleep(200);
    return out;
  }

  function paste(): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(
      'bash',
      ['-euo', 'pipefail', '-c', readmeBlock('A sale and a refund from the command line')],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, BASE: `http://127.0.0.1:${port}` },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  const demoFile = () =>
    JSON.parse(readFileSync(join(dir, 'data', 'demo-credentials.json'), 'utf8')) as {
      demo: { stores: Array<{ terminals: Array<{ id: string; activation_code: string }> }> };
    };

  it('the walkthrough pasted into bash runs every step: card, QR, order and cash sales, refund, settlement', async () => {
    port = await freePort();
    const banner = await npmStart();
    expect(banner).toContain(`is running on http://127.0.0.1:${port}`);
    // Where to sign in: the pages on localhost (passkeys refuse a bare IP), and the owner's second factor.
    expect(banner).toContain(`console:    http://localhost:${port}/console/`);
    expect(banner).toContain(`terminal app: http://localhost:${port}/pos/`);
    expect(banner).toMatch(/authenticator secret [A-Z2-7]{16,}/);
    const first = demoFile().demo.stores[0]?.terminals[0];
    expect(banner).toContain(`activation code ${first?.activation_code}`);
    expect(banner).toContain(`curl -s -X POST http://127.0.0.1:${port}/v1/terminals/activate`);

    const run = paste();
    expect(run.status, run.stderr).toBe(0);
    // Sale statuses (QR, order, cash), the refund authorized with the refund key, the settlement's net.
    const lines = run.stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const fees = 60 + 10 + 26 + 0; // card 0.6 % of 10 000, QR 0.38 % of 2 500, order 0.3 % of 8 800, cash none
    expect(Number(lines[4])).toBe(10_000 + 2_500 + 8_800 + 3_680 - 2_500 - fees);
  });

  it('after a restart the banner shows a fresh code, and the walkthrough works again', async () => {
    const before = demoFile().demo.stores[0]?.terminals[0]?.activation_code;
    await stop();
    const banner = await npmStart();
    const after = demoFile().demo.stores[0]?.terminals[0]?.activation_code;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(banner).toContain(`activation code ${after}`);
    expect(banner).toContain('refundkey terminals reissue-code --terminal trm_');
    const run = paste();
    expect(run.status, run.stderr).toBe(0);
  });

  it('`refundkey terminals reissue-code` gives a code that activates the terminal; the one it replaced is refused', async () => {
    const terminal = demoFile().demo.stores[0]?.terminals[1] ?? demoFile().demo.stores[1]?.terminals[0];
    expect(terminal).toBeDefined();
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [...NODE_ARGS, ...args], {
        cwd: dir,
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: '' },
        encoding: 'utf8',
      });
    const reissued = cli(['terminals', 'reissue-code', '--terminal', terminal?.id ?? '', '--json']);
    expect(reissued.status, reissued.stderr).toBe(0);
    const { activation_code: code } = JSON.parse(reissued.stdout) as { activation_code: string };
    expect(code).not.toBe(terminal?.activation_code);
    const base = `http://127.0.0.1:${port}`;
    const old = await call(base, 'POST', '/v1/terminals/activate', {
      body: { activation_code: terminal?.activation_code },
    });
    expect(old.status).toBe(400);
    const fresh = await call(base, 'POST', '/v1/terminals/activate', { body: { activation_code: code } });
    expect(fresh.status).toBe(201);
    expect((fresh.body as { terminal_id: string }).terminal_id).toBe(terminal?.id);

    const unknown = cli(['terminals', 'reissue-code', '--terminal', 'trm_nope']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('TERMINAL_NOT_FOUND: no terminal trm_nope');
  });
});
