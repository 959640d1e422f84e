import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { DialectName } from '../../src/db/database.js';

/** Every storage, service and API suite runs once per database. */
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let seq = 0;

/**
 * A fresh database for one suite, dropped afterwards: empty, or (`migrated`) already migrated to latest — a copy of the
 * SQLite template file, or a PostgreSQL database made from the template (`CREATE DATABASE ... TEMPLATE`). Both templates
 * are migrated once per run by global-setup.ts from this run's sources; the app's own migrateToLatest then finds nothing
 * to do. Suites about migrating itself (who runs it, what a refused start leaves behind) take an empty one.
 */
export async function createTestDatabase(
  dialect: DialectName,
  { migrated = false }: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'refundkey-test-'));
    if (migrated) copyFileSync(inject('sqliteTemplate'), join(dir, 'refundkey.db'));
    return {
      url: `sqlite:${join(dir, 'refundkey.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = inject('pgAdminUrl');
  const name = `refundkey_test_${process.pid}_${++seq}_${Math.random().toString(36).slice(2, 8)}`;
  if (migrated) await createFromTemplate(adminUrl, name, inject('pgTemplate'));
  else await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      // pg's pool.end() resolves before its backends have gone; FORCE would then kill them mid-goodbye and the
      // client would raise "terminating connection due to administrator command" as an uncaught error.
      await waitForNoConnections(adminUrl, name);
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** 55006 object_in_use: another suite's copy of the template is starting at this moment; it lasts milliseconds. */
async function createFromTemplate(adminUrl: string, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

async function waitForNoConnections(adminUrl: string, name: string, timeoutMs = 3_000): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const { rows } = await client.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = $1',
        [name],
      );
      if (Number(rows[0]?.n ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

async function admin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
