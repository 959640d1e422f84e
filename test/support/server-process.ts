import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { ServerProcess } from '../../bench/lib/processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * How the suites run the `refundkey` command: the bundle global-setup.ts built from this run's sources. Running the
 * sources through tsx instead compiled them again in every process, about 1 s of CPU each (issue 11 item 6).
 */
export function bundledCli(): string[] {
  return [inject('cliBundle')];
}

/** `refundkey <args>` from the bundle global-setup.ts built for this run; its stdout, or an error with its stderr. */
export function runCli(args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(process.execPath, [inject('cliBundle'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`refundkey ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/**
 * `refundkey serve --port 0` as its own process: the kernel picks the port when the server binds it, and the port is
 * read back from the process's own listening socket (/proc). Finding a free port first and binding it later raced
 * with every other process of a parallel run.
 */
export async function startServe(
  databaseUrl: string,
  env: Record<string, string> = {},
  { timeoutMs = 60_000 }: { timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [inject('cliBundle'), 'serve', '--port', '0', '--database-url', databaseUrl], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start refundkey serve');
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const server: ServerProcess = {
    pid,
    port: 0,
    url: '',
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
    if (child.exitCode !== null) throw new Error(`refundkey serve exited with ${child.exitCode}: ${tail}`);
    const port = listeningPort(pid);
    if (port !== undefined) {
      const url = `http://127.0.0.1:${port}`;
      const healthy = await fetch(`${url}/healthz`).then(
        (answer) => answer.ok,
        () => false,
      );
      if (healthy) return Object.assign(server, { port, url });
    }
    await sleep(50);
  }
  await server.stop();
  throw new Error(`refundkey serve did not become healthy in ${timeoutMs} ms: ${tail}`);
}

/** The TCP port a process listens on (IPv4 or IPv6), from its socket inodes and the kernel's socket tables. */
function listeningPort(pid: number): number | undefined {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) inodes.add(match[1]);
      } catch {
        // the descriptor closed while being read
      }
    }
  } catch {
    return undefined;
  }
  for (const table of [`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`]) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN, the inode is the 10th column.
      if (columns[3] === '0A' && columns[9] && inodes.has(columns[9])) {
        return Number.parseInt(columns[1]?.split(':')[1] ?? '', 16);
      }
    }
  }
  return undefined;
}
