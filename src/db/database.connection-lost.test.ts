// Issue 10 "Operations" 1, at the driver: a PostgreSQL session that ends under us (57P01, what a restart or failover
// does) never ends the process, whether its client is idle in the pool or checked out by a transaction that is awaiting
// something else; the query that meets the dead connection is "database unavailable" (503), the next one reconnects.
// Regression: an unhandled 'error' event on such a client killed the server.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { type Database, isDatabaseUnavailable, openDatabase } from './database.js';

describe('PostgreSQL connection lost', () => {
  let test: TestDatabase;
  let database: Database;
  const lost: Error[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    test = await createTestDatabase('postgres');
    database = openDatabase(test.url, { poolSize: 2 });
    database.onConnectionLost?.((error) => lost.push(error));
    process.on('uncaughtException', onUncaught);
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await database?.close();
    await test?.drop();
  });

  /** End every session of the test database but ours, as `pg_ctl stop -m fast` does (57P01). */
  async function terminateSessions(): Promise<void> {
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    try {
      const name = new URL(test.url).pathname.slice(1);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
    } finally {
      await admin.end();
    }
    await sleep(100);
  }

  const backendPid = async () =>
    (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]?.pid;

  it('an idle client: reported, dropped, and the next query runs on a new connection', async () => {
    const before = await backendPid();
    await terminateSessions();
    expect(lost.map((e) => (e as { code?: string }).code)).toContain('57P01');
    const after = await backendPid();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(uncaught).toEqual([]);
  });

  it('a client held by a transaction: its next query is "unavailable", nothing commits, the process lives on', async () => {
    lost.length = 0;
    await sql`create table if not exists lost_probe (n integer)`.execute(database.db);
    const outcome = await database.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into lost_probe (n) values (1)`.execute(trx);
        // The transaction waits on something else (an acquirer, a hash) while the server goes away.
        await terminateSessions();
        await sql`insert into lost_probe (n) values (2)`.execute(trx);
        return 'committed';
      })
      .catch((error: unknown) => error);
    expect(outcome).not.toBe('committed');
    expect(uncaught).toEqual([]);
    expect(isDatabaseUnavailable(outcome)).toBe(true);
    expect(lost.length).toBeGreaterThan(0);
    const rows = await sql<{ n: number }>`select n from lost_probe`.execute(database.db);
    expect(rows.rows).toEqual([]);
  });
});
