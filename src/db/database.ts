import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, sql } from 'kysely';
import pg from 'pg';
import { ConfigError } from '../config.js';
import { preparePrecompiled } from './precompiled.js';
import type { DB, Executor } from './schema.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { type GroupCommitDatabase, GroupCommitSqliteDialect, SqliteWriter } from './sqlite-group-commit.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  close(): Promise<void>;
  /** PostgreSQL: be told when a connection is lost (a restart, a failover); the pool reconnects by itself. */
  onConnectionLost?(listener: (error: Error) => void): void;
  /**
   * Be told the SQL text of every statement sent to the database (transaction control included), until the returned
   * function is called: how tests count the statements a request costs (test/reliability/statement-budget.test.ts).
   */
  onQuery(listener: QueryListener): () => void;
}

export type QueryListener = (sql: string) => void;

/** The listeners of `onQuery`: a set that costs one size check per statement while empty. */
class QueryListeners {
  private readonly listeners = new Set<QueryListener>();
  readonly add = (listener: QueryListener) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  notify(text: string): void {
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) listener(text);
  }
}

/** Open the database named by `DATABASE_URL`: `sqlite:<path>` (embedded, WAL) or `postgres://...`. */
export function openDatabase(
  url: string,
  { poolSize = 10, onPoolError }: { poolSize?: number; onPoolError?: (error: Error) => void } = {},
): Database {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, poolSize, onPoolError);
  throw new ConfigError([
    `DATABASE_URL (got "${url.split(':')[0]}:…"): must be sqlite:<path> or postgres://user@host:5432/db`,
  ]);
}

/** The SQLite files this process has open: one connection (and one checkpointer) per file, however many opened it. */
const openFiles = new Map<string, SharedSqlite>();

interface SharedSqlite {
  writer: SqliteWriter;
  queries: QueryListeners;
  checkpointer: { stop(): Promise<void> } | undefined;
  users: number;
}

function openSqlite(path: string): Database {
  const file = path === ':memory:' ? path : resolve(path);
  const shared = (file !== ':memory:' && openFiles.get(file)) || connectSqlite(file);
  shared.users += 1;
  let closed = false;
  const release = async () => {
    if (closed) return;
    closed = true;
    shared.users -= 1;
    if (shared.users > 0) return;
    if (openFiles.get(file) === shared) openFiles.delete(file);
    await shared.checkpointer?.stop();
    shared.writer.close();
  };
  const db = new Kysely<DB>({ dialect: new GroupCommitSqliteDialect(shared.writer, release) });
  const close = async () => {
    await db.destroy();
    // Kysely destroys a driver only once it has run a query: a database opened and closed unused lets go here.
    await release();
  };
  return { db, dialect: 'sqlite', onQuery: shared.queries.add, close };
}

function connectSqlite(file: string): SharedSqlite {
  const sqlite = file === ':memory:' ? new SQLite(file) : openSqliteFile(file);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const queries = new QueryListeners();
  // Kysely's SQLite driver prepares every statement it runs (begin and commit too): one `prepare` per statement.
  const database = withStatementCache(sqlite, STATEMENT_CACHE_SIZE, (text) => queries.notify(text));
  const writer = new SqliteWriter(database);
  const shared: SharedSqlite = {
    writer,
    queries,
    checkpointer: file === ':memory:' ? undefined : startCheckpointer(sqlite, file, (work) => writer.pause(work)),
    users: 0,
  };
  if (file !== ':memory:') openFiles.set(file, shared);
  return shared;
}

/** The data folder `serve` may create on its own; any other folder must exist already. */
const DATA_FOLDER = 'data';

/**
 * Open (or create) a SQLite file and prove it writable, or explain in one line naming the path. Only the project's own
 * data folder is created silently; a missing folder elsewhere is more likely a typo than a wish.
 */
function openSqliteFile(file: string): SQLite.Database {
  const folder = dirname(file);
  const problem = (what: string, error?: unknown) =>
    new ConfigError([
      `DATABASE_URL: ${what}${error ? ` (${(error as { code?: string }).code ?? (error as Error).message})` : ''}; choose a writable path, e.g. sqlite:./data/refundkey.db`,
    ]);
  if (!existsSync(folder)) {
    const data = resolve(DATA_FOLDER);
    if (folder !== data && !folder.startsWith(`${data}${sep}`)) {
      throw problem(`the folder ${folder} for the database does not exist; create it first (mkdir -p ${folder})`);
    }
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw problem(`cannot create the folder ${folder}`, error);
    }
  } else if (!statSync(folder).isDirectory()) {
    throw problem(`${folder} is not a folder`);
  }
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file);
  } catch (error) {
    throw problem(`cannot open or create ${file}`, error);
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    // A read-only file or folder opens fine and fails at the first write: find out now, not at the first sale.
    sqlite.exec('begin immediate; rollback');
  } catch (error) {
    sqlite.close();
    throw problem(`${file} is read-only (or its folder is: SQLite writes ${file}-wal beside it)`, error);
  }
  return sqlite;
}

/** Distinct SQL texts kept prepared; the app issues far fewer, so this only bounds odd ones (e.g. `in (...)` lists). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver calls `prepare` for every query, and preparing costs more than running most of ours. Reusing
 * a prepared statement is safe: better-sqlite3 binds fresh parameters on each `run`/`all`, and SQLite re-prepares a
 * statement itself when the schema changed. Only a statement still being iterated (`busy`, from `stream()`) cannot be
 * shared, so that case gets a fresh one. Least recently used texts are dropped past the bound.
 */
export function withStatementCache(
  sqlite: SQLite.Database,
  size = STATEMENT_CACHE_SIZE,
  onPrepare?: QueryListener,
): GroupCommitDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    get inTransaction() {
      return sqlite.inTransaction;
    },
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      onPrepare?.(text);
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

function openPostgres(url: string, max: number, onPoolError: ((error: Error) => void) | undefined): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // A server that is away refuses connections at once (503); this bound is for a connect that hangs. It is long
    // enough that a burst queueing for a free connection on a busy machine is served, not answered 503.
    connectionTimeoutMillis: 15_000,
    // Money and times are bigint; every value we store fits in a JS number (amounts ≤ 10^11, epoch ms).
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A client whose server went away (a restart: 57P01 admin shutdown) emits 'error'. While idle the pool listens and
  // drops it; while checked out (a transaction awaiting something else) nobody would, and an unhandled 'error' event
  // ends the process. So every client gets a listener of its own: the client is then unusable, its next query fails
  // (503 DATABASE_UNAVAILABLE), and the pool discards it on release.
  const listeners = new Set<(error: Error) => void>();
  const lost = (error: Error) => {
    onPoolError?.(error);
    for (const listener of listeners) listener(error);
  };
  const queries = new QueryListeners();
  pool.on('connect', (client) => {
    client.on('error', lost);
    preparePrecompiled(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text] = args;
      queries.notify(typeof text === 'string' ? text : String((text as { text?: unknown } | null)?.text));
      return query(...args);
    };
  });
  // The pool re-emits an idle client's error: the client's own listener above has reported it already.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    close: () => db.destroy(),
    onConnectionLost: (listener) => listeners.add(listener),
    onQuery: queries.add,
  };
}

// Node's socket errors and PostgreSQL's SQLSTATE classes 08 (connection exception) and 57P (operator intervention:
// admin/crash shutdown, cannot connect now), plus the messages pg raises for a connection that ended under a query.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
];

/** True when an error says the database cannot be reached right now (as opposed to a query it refused). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) {
    return true;
  }
  // A refused connection to a host with several addresses (localhost: ::1 and 127.0.0.1) is an AggregateError.
  if (Array.isArray(errors) && errors.length > 0 && errors.every(isDatabaseUnavailable)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/** Where a DATABASE_URL points, without its password: for messages. */
export function describeDatabase(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.username ? `${decodeURIComponent(parsed.username)}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/**
 * Wait until the database answers `select 1`, retrying with exponential backoff (0.5 s doubling to 8 s) for at most
 * `timeoutMs`; `onRetry` says why and when the next try is. SQLite answers at once (or fails for good: a bad path).
 */
export async function waitForDatabase(
  database: Database,
  {
    timeoutMs = 60_000,
    onRetry = () => {},
    sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms)),
  }: {
    timeoutMs?: number;
    onRetry?: (error: Error, delayMs: number) => void;
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<void> {
  const started = Date.now();
  for (let delayMs = 500; ; delayMs = Math.min(delayMs * 2, 8_000)) {
    try {
      await sql`select 1`.execute(database.db);
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() - started + delayMs > timeoutMs) throw error;
      onRetry(error as Error, delayMs);
      await sleep(delayMs);
    }
  }
}

/**
 * True when a transaction on `db` already excludes every other writer from its start: SQLite, whose transactions begin
 * immediate (sqlite-group-commit.ts) and hold the database's one write lock until they end. There a row need not be locked
 * by a no-op UPDATE to keep a concurrent writer from changing it; a plain read suffices. PostgreSQL locks rows.
 */
export function writersExcluded(db: Executor): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * True when `db` runs data-modifying WITH: PostgreSQL, where several inserts and updates can be one statement that
 * commits on its own (one round trip, instead of begin, one per write, and commit). SQLite cannot.
 */
export function writesInOneStatement(db: Executor): boolean {
  return !writersExcluded(db);
}

/** True when `error` is a NOT NULL violation of `table`.`column` (PostgreSQL names both). */
export function isNotNullViolation(error: unknown, table: string, column: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; table?: unknown; column?: unknown };
  return e.code === '23502' && e.table === table && e.column === column;
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
