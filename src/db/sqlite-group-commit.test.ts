import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase, withStatementCache } from './database.js';
import { GroupCommitSqliteDialect, MAX_GROUP, SqliteWriter } from './sqlite-group-commit.js';

// Group commit (sqlite-group-commit.ts) on a real SQLite file: transactions that run together share one commit, each
// is undone alone when it fails, nobody hears of a write before it is committed, and a failed commit fails them all.
interface Tables {
  t: { v: string };
}

/** The rows of t another connection sees: what is committed. */
function committedIn(file: string): string[] {
  const other = new SQLite(file, { readonly: true });
  try {
    return (other.prepare('select v from t order by v').all() as { v: string }[]).map((row) => row.v);
  } finally {
    other.close();
  }
}

describe('SQLite group commit', () => {
  let folder: string;
  let file: string;
  let database: Database;
  let db: Kysely<Tables>;
  /** Statements and answers in the order they happened. */
  let log: string[];

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'rk-group-'));
    file = join(folder, 'group.sqlite');
    database = openDatabase(`sqlite:${file}`);
    db = database.db as unknown as Kysely<Tables>;
    await sql`create table t (v text primary key)`.execute(db);
    await sql`create table parent (id integer primary key)`.execute(db);
    await sql`create table child (parent_id integer references parent (id) deferrable initially deferred)`.execute(db);
    log = [];
    database.onQuery((text) => log.push(text));
  });

  afterEach(async () => {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const committedRows = () => committedIn(file);
  const insert = (trx: Kysely<Tables>, v: string) => sql`insert into t (v) values (${v})`.execute(trx);
  const commits = () => log.filter((text) => text === 'commit').length;

  it('transactions started together share one commit, and each caller hears of it only after the commit', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `v${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map(async (v) => {
        await db.transaction().execute(async (trx) => {
          await insert(trx, v);
          await sql`select count(*) as n from t`.execute(trx);
        });
        log.push(`answered ${v}`);
      }),
    );
    expect(commits()).toBe(1);
    expect(log.filter((text) => text === 'begin immediate')).toHaveLength(1);
    expect(log.filter((text) => text === 'savepoint member')).toHaveLength(19);
    const commitAt = log.indexOf('commit');
    expect(log.findIndex((text) => text.startsWith('answered'))).toBeGreaterThan(commitAt);
    expect(committedRows()).toEqual(names);
  });

  it('a transaction alone is begun and committed as before, with no savepoint', async () => {
    await db.transaction().execute((trx) => insert(trx, 'alone'));
    expect(log).toEqual(['begin immediate', 'insert into t (v) values (?)', 'commit']);
    expect(committedRows()).toEqual(['alone']);
  });

  it('a transaction that fails is undone alone, first in its group or not', async () => {
    const outcomes = await Promise.allSettled(
      ['first', 'kept1', 'failed', 'kept2'].map((v) =>
        db.transaction().execute(async (trx) => {
          await insert(trx, v);
          if (v === 'first' || v === 'failed') throw new Error(`${v} refused`);
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).toBe('failed refused');
    expect(committedRows()).toEqual(['kept1', 'kept2']);
    expect(commits()).toBe(1);
  });

  it('a statement outside a transaction that saw uncommitted writes answers only after their commit', async () => {
    const written = db.transaction().execute((trx) => insert(trx, 'seen'));
    const read = sql<{ v: string }>`select v from t`.execute(db).then((result) => {
      log.push('read answered');
      return result.rows.map((row) => row.v);
    });
    await written;
    expect(await read).toEqual(['seen']);
    expect(log.indexOf('read answered')).toBeGreaterThan(log.indexOf('commit'));
  });

  it('a commit that fails fails every transaction of the group, and none of their writes remain', async () => {
    // The deferred foreign key is only checked at the commit: the group's one commit is refused.
    const outcomes = await Promise.allSettled([
      db.transaction().execute((trx) => insert(trx, 'innocent')),
      db.transaction().execute((trx) => sql`insert into child (parent_id) values (42)`.execute(trx)),
      sql`select v from t`.execute(db),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    expect(committedRows()).toEqual([]);
    // The connection is usable again: the next group commits.
    await db.transaction().execute((trx) => insert(trx, 'after'));
    expect(committedRows()).toEqual(['after']);
  });

  it('when SQLite ends the whole transaction (as on an I/O error), the members already in it fail too', async () => {
    const outcomes = await Promise.allSettled([
      db.transaction().execute((trx) => insert(trx, 'earlier')),
      db.transaction().execute(async (trx) => {
        await insert(trx, 'doomed');
        // What SQLite does by itself after SQLITE_IOERR or SQLITE_FULL: the transaction is gone.
        await sql`rollback`.execute(trx);
        throw new Error('disk I/O error');
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toMatch(/rolled the transaction back/);
    expect(committedRows()).toEqual([]);
    await db.transaction().execute((trx) => insert(trx, 'after'));
    expect(committedRows()).toEqual(['after']);
  });

  it(`a group is committed once it holds ${MAX_GROUP} transactions`, async () => {
    const count = MAX_GROUP + 6;
    await Promise.all(Array.from({ length: count }, (_, i) => db.transaction().execute((trx) => insert(trx, `r${i}`))));
    expect(commits()).toBe(2);
    expect(committedRows()).toHaveLength(count);
  });

  it('a streamed read sees only committed rows: an open group is committed first', async () => {
    const written = db.transaction().execute((trx) => insert(trx, 'streamed'));
    const rows: string[] = [];
    const streaming = (async () => {
      for await (const row of db.selectFrom('t').select('v').stream()) rows.push(row.v);
      log.push('stream done');
    })();
    await Promise.all([written, streaming]);
    expect(rows).toEqual(['streamed']);
    expect(log.indexOf('commit')).toBeLessThan(log.indexOf('stream done'));
  });

  it('a file opened twice in one process has one connection: both commit together, and closing one keeps the other', async () => {
    const second = openDatabase(`sqlite:${file}`);
    const other = second.db as unknown as Kysely<Tables>;
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? db : other).transaction().execute(async (trx) => {
            await insert(trx, `both${i}`);
            await sql`select count(*) as n from t`.execute(trx);
          }),
        ),
      );
      expect(commits()).toBe(1);
      expect(committedRows()).toHaveLength(10);
    } finally {
      await second.close();
    }
    await db.transaction().execute((trx) => insert(trx, 'still open'));
    expect(committedRows()).toHaveLength(11);
  });

  it('a read streamed inside a transaction sees that transaction, and does not commit its group early', async () => {
    const rows: string[] = [];
    await Promise.all([
      db.transaction().execute((trx) => insert(trx, 'first')),
      db.transaction().execute(async (trx) => {
        await insert(trx, 'second');
        for await (const row of trx.selectFrom('t').select('v').orderBy('v').stream()) rows.push(row.v);
      }),
    ]);
    expect(rows).toEqual(['first', 'second']);
    expect(commits()).toBe(1);
    expect(committedRows()).toEqual(['first', 'second']);
  });

  it('a database opened and closed without a query lets go of the file: the next opening has its own connection', async () => {
    const unused = openDatabase(`sqlite:${file}`);
    const heard: string[] = [];
    unused.onQuery((text) => heard.push(text));
    await unused.close();
    await database.close();
    database = openDatabase(`sqlite:${file}`);
    db = database.db as unknown as Kysely<Tables>;
    await db.transaction().execute((trx) => insert(trx, 'fresh'));
    expect(heard).toEqual([]);
    expect(committedRows()).toEqual(['fresh']);
  });
});

// The checkpointer restarts the WAL in a pause of the writer (sqlite-checkpointer.ts): nobody of this process may be in
// the database meanwhile, and nobody may be kept from running by it but those who want the database.
describe('SQLite writer pause', () => {
  it('commits the open group first; what wants the database meanwhile waits for the pause, the event loop does not', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rk-pause-'));
    const file = join(folder, 'pause.sqlite');
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    const statements: string[] = [];
    const writer = new SqliteWriter(withStatementCache(sqlite, 100, (text) => statements.push(text)));
    const db = new Kysely<Tables>({ dialect: new GroupCommitSqliteDialect(writer, async () => {}) });
    const committed = () => committedIn(file);
    try {
      await sql`create table t (v text primary key)`.execute(db);
      // Its group would be committed at the end of this turn; the pause asked for in the same turn commits it first.
      const first = db.transaction().execute((trx) => sql`insert into t (v) values ('a')`.execute(trx));
      let later: Promise<unknown> | undefined;
      let timerRan = false;
      await writer.pause(async () => {
        expect(committed()).toEqual(['a']);
        const before = statements.length;
        later = db.transaction().execute((trx) => sql`insert into t (v) values ('b')`.execute(trx));
        await new Promise<void>((done) =>
          setTimeout(() => {
            timerRan = true;
            done();
          }, 50),
        );
        expect(statements.length).toBe(before);
      });
      expect(timerRan).toBe(true);
      await first;
      await later;
      expect(committed()).toEqual(['a', 'b']);
    } finally {
      await db.destroy();
      writer.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
