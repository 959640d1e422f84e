import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  close(): Promise<void>;
}

/** Open the database named by `DATABASE_URL`: `sqlite:<path>` (embedded, WAL) or `postgres://...`. */
export function openDatabase(url: string, { poolSize = 10 }: { poolSize?: number } = {}): Database {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, poolSize);
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:)`);
}

function openSqlite(path: string): Database {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(sqlite, file);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** How often the checkpointer copies the WAL back into the database file. */
const CHECKPOINT_EVERY_MS = 100;
/** The committing connection checkpoints itself only past this many WAL pages (≈ 40 MB): a fallback, not the rule. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

/**
 * SQLite checkpoints the WAL inside the commit that crosses `wal_autocheckpoint` (1,000 pages by default): copying the
 * pages into the database file and three fsyncs, synchronously on the event loop. Under 567 card sales/s that was
 * about 11 checkpoints a second, each a stall of several milliseconds (≈ 5 ms of fsync alone): the tail of the sales
 * latency. A worker thread with its own connection runs PASSIVE
 * checkpoints instead (they never block writers or readers); the committing connection keeps a far higher threshold
 * as a fallback should the worker fall behind, and `journal_size_limit` shrinks the WAL file after such a burst.
 */
function startCheckpointer(sqlite: SQLite.Database, file: string): { stop(): Promise<void> } {
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  sqlite.pragma('journal_size_limit = 67108864');
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      everyMs: CHECKPOINT_EVERY_MS,
    },
  });
  worker.unref();
  worker.on('error', () => {
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  });
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  return {
    async stop() {
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Distinct SQL texts kept prepared; the app issues far fewer, so this only bounds odd ones (e.g. `in (...)` lists). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver calls `prepare` for every query, and preparing costs more than running most of ours. Reusing
 * a prepared statement is safe: better-sqlite3 binds fresh parameters on each `run`/`all`, and SQLite re-prepares a
 * statement itself when the schema changed. Only a statement still being iterated (`busy`, from `stream()`) cannot be
 * shared, so that case gets a fresh one. Least recently used texts are dropped past the bound.
 */
export function withStatementCache(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      if (cached) return statement;
      cache.set(text, statement);
      if (cache.size > size) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  };
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Money and times are bigint; every value we store fits in a JS number (amounts ≤ 10^11, epoch ms).
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** True when an error is a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Kysely reports affected rows as bigint; compare as a number. */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
}
