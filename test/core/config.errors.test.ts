// Issue 10 "Operations" 3: a configuration that cannot work is explained in one line per problem, each naming the
// environment variable (or flag) and what is allowed — never a zod issue array, an internal field name or a stack trace.
// Regression: `LOG_LEVEL=verbose refundkey serve` printed a raw issue array naming `logLevel`; a port in use and a
// database path that could not be created ended in stack traces.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../../bench/lib/processes.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { bundledCli } from '../support/server-process.js';

/** `refundkey <args>` from the sources, as a user runs it; never the developer's own environment. */
function refundkey(
  args: string[],
  env: Record<string, string> = {},
  options: { uid?: number; gid?: number; cwd?: string } = {},
) {
  // The bundle's path is absolute and its packages resolve from the project, so it runs from any folder.
  const cli = bundledCli();
  const result = spawnSync(process.execPath, [...cli, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'development', ...env },
    encoding: 'utf8',
    timeout: 60_000,
    ...options,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const INTERNAL_NAMES = /logLevel|databaseUrl|refundCode|giveUpHours|leaseSeconds|smtpPort|"code":|ZodError|\n\s+at /;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'refundkey-config-'));
  dirs.push(dir);
  return dir;
}

describe('configuration errors', () => {
  it('each bad variable is named in one readable line, with what is allowed', () => {
    const env = {
      PORT: 'eighty',
      LOG_LEVEL: 'verbose',
      NODE_ENV: 'prod',
      REFUNDKEY_SECRET: 'too-short',
      REFUND_CODE_DIGITS: '7',
      REFUND_CODE_TTL_MINUTES: '60',
      SMTP_PORT: '99999',
      MESSAGE_LEASE_SECONDS: '1',
      ARGON2_THREADS: '0',
    };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).problems;
    expect(lines).toHaveLength(Object.keys(env).length);
    const byVariable = Object.fromEntries(lines.map((line) => [line.split(/[ :]/)[0], line]));
    expect(Object.keys(byVariable).sort()).toEqual(Object.keys(env).sort());
    expect(byVariable.PORT).toBe('PORT (got "eighty"): must be a number');
    expect(byVariable.LOG_LEVEL).toBe(
      'LOG_LEVEL (got "verbose"): must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(byVariable.NODE_ENV).toBe('NODE_ENV (got "prod"): must be one of development, production, test');
    expect(byVariable.REFUND_CODE_DIGITS).toBe('REFUND_CODE_DIGITS (got "7"): must be one of 6, 8');
    expect(byVariable.REFUND_CODE_TTL_MINUTES).toBe('REFUND_CODE_TTL_MINUTES (got "60"): must be at most 10');
    expect(byVariable.SMTP_PORT).toBe('SMTP_PORT (got "99999"): must be at most 65535');
    expect(byVariable.MESSAGE_LEASE_SECONDS).toBe('MESSAGE_LEASE_SECONDS (got "1"): must be at least 5');
    expect(byVariable.ARGON2_THREADS).toBe('ARGON2_THREADS (got "0"): must be at least 1');
    // A secret is named, never echoed.
    expect(byVariable.REFUNDKEY_SECRET).toBe('REFUNDKEY_SECRET: must be at least 32 characters long');
    for (const line of lines) expect(line).not.toMatch(INTERNAL_NAMES);
    expect(lines.join('\n')).not.toContain('too-short');
  });

  it('a flag is named as the flag; production without a secret says how to make one', () => {
    expect(() => loadConfig({}, { port: '80a' })).toThrow('--port (got "80a"): must be a number');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /^REFUNDKEY_SECRET: required when NODE_ENV=production/,
    );
    expect(loadConfig({ PORT: '9090', LOG_LEVEL: 'warn' })).toMatchObject({ port: 9090, logLevel: 'warn' });
  });

  it('`refundkey serve` with bad variables exits 2 with one line per problem and no stack trace', () => {
    const { status, stdout, stderr } = refundkey(['serve'], { PORT: '70000', LOG_LEVEL: 'loud' });
    expect(status).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^refundkey serve: .*cannot start:$/);
    expect(lines.slice(1).map((l) => l.trim())).toEqual([
      'PORT (got "70000"): must be at most 65535',
      'LOG_LEVEL (got "loud"): must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(stderr).not.toMatch(INTERNAL_NAMES);
  });

  it('an unknown flag is one line pointing to --help', () => {
    const { status, stderr } = refundkey(['serve', '--prot', '80']);
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain("'--prot'");
    expect(stderr).toContain('refundkey serve --help');
  });

  describe('a port in use', () => {
    let blocker: Server;
    afterAll(() => blocker?.close());

    it('says so in one line with the fix (PORT / --port), exit 2', async () => {
      const port = await freePort();
      blocker = createServer();
      await new Promise<void>((done) => blocker.listen(port, '127.0.0.1', done));
      const dir = tempDir();
      const { status, stderr } = refundkey(['serve', '--port', String(port)], {
        DATABASE_URL: `sqlite:${join(dir, 'refundkey.db')}`,
        LOG_LEVEL: 'silent',
      });
      expect(status).toBe(2);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]?.trim()).toBe(
        `PORT: 127.0.0.1:${port} is already in use (another refundkey?); choose a free one with PORT=<n> or --port <n>`,
      );
    });
  });

  describe('the SQLite database path', () => {
    it('a folder that does not exist is named, and not created', () => {
      const dir = tempDir();
      const missing = join(dir, 'no', 'such', 'folder');
      const { status, stderr } = refundkey(['migrate'], { DATABASE_URL: `sqlite:${join(missing, 'refundkey.db')}` });
      expect(status).toBe(2);
      expect(stderr).toContain(`DATABASE_URL: the folder ${missing} for the database does not exist`);
      expect(stderr).toContain(`mkdir -p ${missing}`);
      expect(stderr).not.toMatch(INTERNAL_NAMES);
      expect(existsSync(join(dir, 'no'))).toBe(false);
    });

    it('a URL of another kind says which kinds there are, without echoing credentials', () => {
      const { status, stderr } = refundkey(['migrate'], { DATABASE_URL: 'mysql://root:hunter2@db/refundkey' });
      expect(status).toBe(2);
      expect(stderr.trim().split('\n')[1]?.trim()).toBe(
        'DATABASE_URL (got "mysql:…"): must be sqlite:<path> or postgres://user@host:5432/db',
      );
      expect(stderr).not.toContain('hunter2');
    });

    it('folders inside the project data folder are created; the command says nothing about them', () => {
      const dir = tempDir();
      const { status, stderr } = refundkey(
        ['migrate'],
        { DATABASE_URL: 'sqlite:./data/shop-1/refundkey.db' },
        { cwd: dir },
      );
      expect(status, stderr).toBe(0);
      expect(existsSync(join(dir, 'data', 'shop-1', 'refundkey.db'))).toBe(true);
      expect(stderr).toBe('');
    });

    it('a path that cannot be created is named', () => {
      const { status, stderr } = refundkey(['migrate'], { DATABASE_URL: 'sqlite:/proc/refundkey.db' });
      expect(status).toBe(2);
      expect(stderr).toContain('DATABASE_URL: cannot open or create /proc/refundkey.db');
      expect(stderr.trim().split('\n')).toHaveLength(2);
    });

    it('a read-only database is named at start, not at the first sale', () => {
      const dir = tempDir();
      const file = join(dir, 'refundkey.db');
      expect(refundkey(['migrate'], { DATABASE_URL: `sqlite:${file}` }).status).toBe(0);
      // root writes anything: the server runs as an ordinary user here, as it would in production.
      const asUser = process.getuid?.() === 0 ? { uid: userId('postgres'), gid: userId('postgres', '-g') } : {};
      chmodSync(dir, 0o755);
      chmodSync(file, 0o444);
      const before = readFileSync(file);
      const { status, stderr } = refundkey(['migrate'], { DATABASE_URL: `sqlite:${file}` }, asUser);
      expect(status, stderr).toBe(2);
      expect(stderr).toContain(`DATABASE_URL: ${file} is read-only`);
      expect(stderr).not.toMatch(INTERNAL_NAMES);
      expect(readFileSync(file).equals(before)).toBe(true);
      if (process.getuid?.() === 0) chownSync(dir, 0, 0);
    });
  });

  it('`refundkey --version` prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const { status, stdout } = refundkey([flag]);
      expect(status).toBe(0);
      expect(stdout.trim()).toBe(`refundkey ${version}`);
    }
  });
});

function userId(name: string, flag = '-u'): number {
  return Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
}
