import type { ServerProcess } from '../../../bench/lib/processes.js';
import { activateAll, type BenchTerminal, type DemoJson } from '../../../bench/lib/terminal-api.js';
import { type Database, type DialectName, openDatabase } from '../../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { runCli, startServe } from '../../support/server-process.js';

/**
 * A fresh database with the demo merchant, for suites that run the real server as separate processes
 * (`refundkey serve` from the CLI bundled once per run, see cli-build.ts), and a direct connection to inspect it.
 */
export class LiveDatabase {
  private constructor(
    readonly dialect: DialectName,
    readonly test: TestDatabase,
    readonly demo: DemoJson,
    readonly database: Database,
    private readonly servers: ServerProcess[] = [],
  ) {}

  static async create(dialect: DialectName): Promise<LiveDatabase> {
    // Already migrated: a copy of the run's migrated template (a `refundkey migrate` here found nothing to do).
    const test = await createTestDatabase(dialect, { migrated: true });
    const demo = JSON.parse(
      runCli(['demo', '--json', '--database-url', test.url]).trim().split('\n').pop() ?? '{}',
    ) as DemoJson;
    return new LiveDatabase(dialect, test, demo, openDatabase(test.url));
  }

  get url(): string {
    return this.test.url;
  }

  get db() {
    return this.database.db;
  }

  /** Start one more `refundkey serve` process on this database (workers on, info logs to /dev/null). */
  async startServer(): Promise<ServerProcess> {
    // The shortest lease allowed, so that messages the killed process had claimed are retried within seconds.
    const server = await startServe(this.test.url, { NODE_ENV: 'development', MESSAGE_LEASE_SECONDS: '5' });
    this.servers.push(server);
    return server;
  }

  /** One more demo merchant on this database, through the CLI: for a test that must not share counts with others. */
  newDemo(): DemoJson {
    return JSON.parse(
      runCli(['demo', '--json', '--database-url', this.test.url]).trim().split('\n').pop() ?? '{}',
    ) as DemoJson;
  }

  /** Activate the demo terminals (of `demo`, else the first merchant) through a server, an operator signed in on each. */
  activate(server: ServerProcess, demo: DemoJson = this.demo): Promise<BenchTerminal[]> {
    return activateAll(server.url, demo);
  }

  async close(): Promise<void> {
    for (const server of this.servers) await server.stop();
    await this.database.close();
    await this.test.drop();
  }
}
