import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'bin', 'refundkey.js');

/** How to run the `refundkey` command: the built bin (default), or the sources through tsx (REFUNDKEY_FROM_SOURCE=1). */
export function cliArgs(fromSource = process.env.REFUNDKEY_FROM_SOURCE === '1'): string[] {
  return fromSource ? ['--import', 'tsx', join(ROOT, 'bench', 'lib', 'cli-entry.ts')] : [CLI];
}

/** A server started as its own process, as a user would run it. */
export interface ServerProcess {
  pid: number;
  port: number;
  url: string;
  child: ChildProcess;
  /** Last lines of stderr, to explain a failure. */
  stderrTail(): string;
  /** SIGTERM and wait; SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** kill -9, for crash tests. */
  kill9(): Promise<void>;
}

/** Compile src/ to dist/ when dist is missing or older than the sources (the CLI runs from dist). */
export function buildIfStale(): void {
  if (process.env.REFUNDKEY_FROM_SOURCE === '1') return;
  const built = join(ROOT, 'dist', 'cli', 'index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, 'src'))) return;
  process.stderr.write('building dist/ (tsc)…\n');
  // --noEmitOnError: a tree that does not compile must not leave a half-written dist/ behind.
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--noEmitOnError'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('build failed: npm run build');
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

/** Start `node <args>` with env and wait until GET <healthPath> answers 200. */
export async function startProcess(
  args: string[],
  {
    env = {},
    port,
    healthPath = '/healthz',
    timeoutMs = 60_000,
  }: { env?: Record<string, string>; port: number; healthPath?: string; timeoutMs?: number },
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // Request logs are written as in production (info), to /dev/null: the cost of logging is part of the figure.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start node ${args.join(' ')}`);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const server: ServerProcess = {
    pid,
    port,
    url,
    child,
    stderrTail: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${tail}`);
    try {
      const answer = await fetch(`${url}${healthPath}`);
      if (answer.ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`server did not become healthy in ${timeoutMs} ms: ${tail}`);
}

/** `node bin/refundkey.js serve` on its own port against a database. */
export async function startRefundkey(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  {
    port: fixedPort,
    cli = cliArgs(),
    nodeArgs = [],
  }: {
    port?: number;
    /** How to run the command (cliArgs() by default); the test suites pass the bundle their run built. */
    cli?: string[];
    nodeArgs?: string[];
  } = {},
): Promise<ServerProcess> {
  const port = fixedPort ?? (await freePort());
  return startProcess([...nodeArgs, ...cli, 'serve', '--port', String(port), '--database-url', databaseUrl], {
    port,
    env: { NODE_ENV: 'development', LOG_LEVEL: 'info', ...extraEnv },
  });
}

/** Run `node bin/refundkey.js <args>` (or `node <cli> <args>`) to completion; its stdout. */
export function runCli(args: string[], env: Record<string, string> = {}, cli = cliArgs()): string {
  const result = spawnSync(process.execPath, [...cli, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`refundkey ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** Run the sales seeder (bench/seed.ts) as its own process, through tsx; its last output line is JSON. */
export function runSeed(args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'seed.ts'), ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`bench/seed.ts ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** Resident set size of a process now, in MB, from /proc/<pid>/status (VmRSS); 0 when gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of some processes every `everyMs` and keeps the peak of each. */
export class RssSampler {
  private readonly peaks = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: number[]) {}

  start(everyMs = 250): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    return this;
  }

  /** Stops and returns the highest RSS of any one process, in MB. */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return Math.round(Math.max(0, ...this.peaks.values()) * 10) / 10;
  }

  private sample(): void {
    for (const pid of this.pids) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, rssMb(pid)));
  }
}
