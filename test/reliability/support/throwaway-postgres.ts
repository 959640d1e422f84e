import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { quietPort as freePort } from '../../support/ports.js';

/**
 * A PostgreSQL cluster of its own (initdb + pg_ctl from /usr/lib/postgresql/<v>/bin) on a free loopback port, for tests
 * that stop and start the server: the shared server on 5432 that every other suite uses is never touched.
 * As root the binaries run as the `postgres` user (initdb refuses root).
 */
export class ThrowawayPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
  ) {}

  static async start(): Promise<ThrowawayPostgres> {
    const bin = postgresBin();
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'refundkey-throwaway-pg-'));
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
    const cluster = new ThrowawayPostgres(port, dir, bin);
    cluster.run('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    cluster.startServer();
    return cluster;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Start (again) and wait until it accepts connections. */
  startServer(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    this.run('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'log'), '-w', '-t', '60', 'start']);
  }

  /** Stop as an operator or a failover would: `fast` ends every session (57P01 admin shutdown). */
  stopServer(mode: 'fast' | 'immediate' = 'fast'): void {
    this.run('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  destroy(): void {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) this.stopServer('immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(program: string, args: string[]): void {
    const command = join(this.bin, program);
    const asRoot = process.getuid?.() === 0;
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8', cwd: this.dir })
      : spawnSync(command, args, { encoding: 'utf8', cwd: this.dir });
    if (result.status !== 0) {
      throw new Error(`${program} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
    }
  }
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'pg_ctl')));
  if (!found) throw new Error(`no PostgreSQL server binaries under ${root} (apt-get install postgresql)`);
  return found;
}

function uidOf(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}

function gidOf(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}
