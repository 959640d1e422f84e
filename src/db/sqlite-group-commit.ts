import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * Group commit for the embedded SQLite database (docs/architecture.md, "Group commit").
 *
 * A SQLite commit writes every page the transaction dirtied to the WAL, and that write, not the statements, is most of
 * a small transaction's cost: 56 of the 74 µs of a card sale's statements on the bench machine. Transactions that
 * commit close together share most of those pages (the tail of each table and index), so they are committed together:
 *
 * - The first transaction of a group opens the database transaction (`begin immediate`: it holds the write lock from
 *   the start, so another process on the file waits instead of failing). Each later one runs inside it under a
 *   savepoint, so that its own rollback undoes only its own writes.
 * - A transaction that ends well releases its savepoint and the connection, so the next one can join; the group is
 *   committed at the end of the event loop's current turn (after the requests that arrived together have run; if the
 *   connection is held then, as soon as it is given back), or when it reaches `MAX_GROUP` transactions.
 * - Nobody hears of a result that depends on uncommitted data before the commit: every transaction's caller, and every
 *   statement run outside a transaction while a group was open, waits for the group's commit. If the commit fails (a
 *   full disk, an I/O error) or SQLite rolls the whole transaction back on such an error, all of them get the error,
 *   and none of their writes remain: the group is all or nothing, like one transaction.
 *
 * One connection, one holder at a time, as Kysely's own SQLite driver: a transaction still excludes every other
 * writer of this process from its start to its end (database.ts `writersExcluded`).
 */
export const MAX_GROUP = 64;

/** The pieces of better-sqlite3 the driver needs besides `prepare`: whether a transaction is open on the handle. */
export interface GroupCommitDatabase extends SqliteDatabase {
  readonly inTransaction: boolean;
}

export class GroupCommitSqliteDialect implements Dialect {
  /** `onDestroy` runs when the Kysely instance is destroyed: the writer may serve others (database.ts). */
  constructor(
    private readonly writer: SqliteWriter,
    private readonly onDestroy: () => Promise<void>,
  ) {}
  createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.writer, this.onDestroy);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}

/** Kysely's view of the writer. */
class GroupCommitSqliteDriver implements Driver {
  constructor(
    private readonly writer: SqliteWriter,
    private readonly onDestroy: () => Promise<void>,
  ) {}
  async init(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    return this.writer.acquire();
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.writer.release(connection as Lease);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    this.writer.begin(connection as Lease);
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.writer.commit(connection as Lease);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.writer.rollback(connection as Lease);
  }
  destroy(): Promise<void> {
    return this.onDestroy();
  }
}

/** The transactions committed (or to be committed) by one SQLite commit. */
class Group {
  /** Transactions that ended well inside this group. */
  members = 0;
  scheduled = false;
  readonly committed: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;
  constructor() {
    this.committed = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Awaited by every member; a group nobody waits for (all rolled back) must not be an unhandled rejection.
    this.committed.catch(() => {});
  }
}

/** One holder's use of the connection, from `acquireConnection` to `releaseConnection`. */
class Lease implements DatabaseConnection {
  /** The group this holder's answer depends on: the one it wrote in or read from while uncommitted. */
  dependsOn: Group | undefined;
  inTransaction = false;
  savepoint = false;
  constructor(private readonly writer: SqliteWriter) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.writer.execute<R>(this, query);
  }
  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.writer.stream<R>(this, query);
  }
}

const BEGIN = CompiledQuery.raw('begin immediate');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');
const SAVEPOINT = CompiledQuery.raw('savepoint member');
const RELEASE = CompiledQuery.raw('release member');
const ROLLBACK_TO = CompiledQuery.raw('rollback to member');

/**
 * The one connection of this process to a SQLite file, shared by every Kysely instance opened on that file here (two
 * connections of one process would wait for each other's write lock synchronously, on the one event loop).
 */
export class SqliteWriter {
  /** The connection has a holder (or has just been handed to the next in line). */
  private busy = false;
  private readonly waiting: Array<() => void> = [];
  /** The open database transaction, once a transaction began in it; undefined between commits. */
  private group: Group | undefined;
  /** The group's turn to commit came while the connection was held: commit it when it is given back. */
  private commitWhenFree = false;

  constructor(private readonly database: GroupCommitDatabase) {}

  async acquire(): Promise<Lease> {
    // Handed over already marked busy, so nothing can slip in between the release and this holder's resumption.
    if (this.busy) await new Promise<void>((take) => this.waiting.push(take));
    else this.busy = true;
    return new Lease(this);
  }

  async release(lease: Lease): Promise<void> {
    this.giveBack();
    const group = lease.dependsOn;
    if (!group) return;
    this.schedule(group);
    await group.committed;
  }

  begin(lease: Lease): void {
    if (this.group && this.group.members >= MAX_GROUP) this.commitGroup();
    if (this.group) {
      this.run(SAVEPOINT);
      lease.savepoint = true;
    } else {
      this.run(BEGIN);
      this.group = new Group();
    }
    lease.inTransaction = true;
    lease.dependsOn = this.group;
  }

  commit(lease: Lease): void {
    const group = this.group;
    if (!group) throw new Error('commit without a transaction');
    if (lease.savepoint) this.run(RELEASE);
    group.members += 1;
    lease.inTransaction = false;
    lease.savepoint = false;
  }

  rollback(lease: Lease): void {
    const group = this.group;
    lease.inTransaction = false;
    if (!lease.savepoint) lease.dependsOn = undefined;
    // A later member may have failed because of what earlier ones wrote (a key they claimed): it keeps waiting for the
    // group, and its own error is only heard if their writes are committed.
    if (!group || !this.database.inTransaction) {
      // SQLite ended the whole transaction itself (it does on an I/O error or a full disk): the group's other
      // members' writes went with it.
      if (group) this.fail(group, new Error('SQLite rolled the transaction back after an error'));
      return;
    }
    if (!lease.savepoint) {
      // The group's first transaction: nobody else has written in it yet.
      this.group = undefined;
      this.run(ROLLBACK);
      return;
    }
    lease.savepoint = false;
    try {
      this.run(ROLLBACK_TO);
      this.run(RELEASE);
    } catch (error) {
      this.fail(group, error);
      throw error;
    }
  }

  /**
   * Hold the connection for `work` without using it: whatever this process wants of the database waits (without
   * blocking the event loop) until `work` ends. An open group is committed first, so no transaction of this process is
   * open meanwhile (the checkpointer restarts the WAL in such a pause, sqlite-checkpointer.ts).
   */
  async pause<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      if (this.group) this.commitGroup();
      return await work();
    } finally {
      this.giveBack();
    }
  }

  /** Commit what is open and close the connection: when the last user is gone. */
  close(): void {
    if (this.group && !this.busy) this.commitGroup();
    // A transaction still running when the database is closed is rolled back by SQLite, and its group with it.
    else if (this.group) this.fail(this.group, new Error('the database was closed during a transaction'));
    this.database.close();
  }

  /** Run a statement for `lease`; a statement outside a transaction while a group is open depends on that group. */
  execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const result = this.run<R>(query);
      if (!lease.inTransaction && this.group) lease.dependsOn = this.group;
      return Promise.resolve(result);
    } catch (error) {
      if (this.group && !this.database.inTransaction) this.fail(this.group, error);
      return Promise.reject(error);
    }
  }

  /**
   * A streamed read outside a transaction yields rows as it reads them, before any commit could be awaited: an open
   * group is committed first. Inside a transaction it reads what that transaction sees, like any statement.
   */
  async *stream<R>(lease: Lease, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    if (this.group && !lease.inTransaction) this.commitGroup();
    const statement = this.database.prepare(query.sql);
    for (const row of statement.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }

  private run<R>(query: CompiledQuery): QueryResult<R> {
    const statement = this.database.prepare(query.sql);
    if (statement.reader) return { rows: statement.all(query.parameters as unknown[]) as R[] };
    const { changes, lastInsertRowid } = statement.run(query.parameters as unknown[]);
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    };
  }

  private giveBack(): void {
    if (this.commitWhenFree) this.commitGroup();
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }

  /** Commit `group` at the end of this turn of the event loop, unless it is committed (or failed) before. */
  private schedule(group: Group): void {
    if (group.scheduled || this.group !== group) return;
    group.scheduled = true;
    setImmediate(() => {
      if (this.group !== group) return;
      if (this.busy) this.commitWhenFree = true;
      else this.commitGroup();
    });
  }

  private commitGroup(): void {
    const group = this.group;
    this.commitWhenFree = false;
    if (!group) return;
    this.group = undefined;
    try {
      this.run(COMMIT);
    } catch (error) {
      if (this.database.inTransaction) {
        try {
          this.run(ROLLBACK);
        } catch {}
      }
      group.reject(error);
      return;
    }
    group.resolve();
  }

  private fail(group: Group, error: unknown): void {
    if (this.group === group) this.group = undefined;
    this.commitWhenFree = false;
    group.reject(error);
  }
}
