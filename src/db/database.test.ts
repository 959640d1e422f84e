import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, withStatementCache } from './database.js';
import { startCheckpointer } from './sqlite-checkpointer.js';

// The SQLite statement cache must be invisible: same answers, and a statement still being iterated is never shared.
describe('SQLite statement cache', () => {
  it('reuses a prepared statement per SQL text, binding fresh parameters each time', () => {
    const cached = withStatementCache(new SQLite(':memory:'));
    const first = cached.prepare('select ? as v');
    expect(cached.prepare('select ? as v')).toBe(first);
    expect(first.all([1])).toEqual([{ v: 1 }]);
    expect(cached.prepare('select ? as v').all([2])).toEqual([{ v: 2 }]);
    cached.close();
  });

  it('hands out a fresh statement while the cached one is being iterated', () => {
    const sqlite = new SQLite(':memory:');
    const cached = withStatementCache(sqlite);
    const text = 'select value from json_each(?)';
    const outer = cached.prepare(text);
    const seen: unknown[] = [];
    for (const row of outer.iterate(['[1,2]']) as Iterable<{ value: number }>) {
      const inner = cached.prepare(text);
      expect(inner).not.toBe(outer);
      seen.push(row.value, inner.all(['[9]']));
    }
    expect(seen).toEqual([1, [{ value: 9 }], 2, [{ value: 9 }]]);
    cached.close();
  });

  it('keeps at most `size` texts, dropping the least recently used', () => {
    const cached = withStatementCache(new SQLite(':memory:'), 2);
    const a = cached.prepare('select 1');
    const b = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 3');
    expect(cached.prepare('select 1')).toBe(a);
    expect(cached.prepare('select 2')).not.toBe(b);
    cached.close();
  });

  it('sees schema changes made after a statement was cached', async () => {
    const db = new Kysely<Record<string, Record<string, unknown>>>({
      dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }),
    });
    await sql`create table t (a integer)`.execute(db);
    await sql`insert into t (a) values (1)`.execute(db);
    expect((await sql`select * from t`.execute(db)).rows).toEqual([{ a: 1 }]);
    await sql`alter table t add column b integer default 2`.execute(db);
    expect((await sql`select * from t`.execute(db)).rows).toEqual([{ a: 1, b: 2 }]);
    await db.destroy();
  });
});

// Two processes on one SQLite file (docs/architecture.md): a transaction that reads before it writes must not fail
// because another connection wrote in between. With a deferred `begin` the other write lands and this transaction's
// first write fails with SQLITE_BUSY (a 500 in the scale-out suite); `begin immediate` holds the write lock from the
// start, so the other writer is the one that waits (here: busy_timeout 0, so it is refused at once).
describe('SQLite transactions across connections', () => {
  it('a transaction that reads first keeps the write lock; the other connection waits, this one commits', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rk-immediate-'));
    const file = join(folder, 'two.sqlite');
    const mine = openDatabase(`sqlite:${file}`);
    const other = new SQLite(file);
    try {
      await sql`create table t (v integer)`.execute(mine.db);
      other.pragma('busy_timeout = 0');
      let otherWrite = 'not tried';
      await mine.db.transaction().execute(async (trx) => {
        await sql`select count(*) as n from t`.execute(trx);
        try {
          other.exec('insert into t (v) values (2)');
          otherWrite = 'written';
        } catch (error) {
          otherWrite = (error as { code?: string }).code ?? 'failed';
        }
        await sql`insert into t (v) values (1)`.execute(trx);
      });
      expect(otherWrite).toBe('SQLITE_BUSY');
      expect(other.prepare('select v from t').all()).toEqual([{ v: 1 }]);
    } finally {
      other.close();
      await mine.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** A fresh SQLite file in WAL mode with a table t, on a plain connection of its own. */
function walFile(name: string) {
  const folder = mkdtempSync(join(tmpdir(), `rk-${name}-`));
  const file = join(folder, 'w.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table t (v text)');
  const remove = () => {
    sqlite.close();
    rmSync(folder, { recursive: true, force: true });
  };
  return { file, sqlite, remove };
}

// The checkpointer thread (database.ts) copies the WAL back into the database file after commits, so the file alone
// holds what was committed; it skips idle ticks, and retries a checkpoint that a reader held back.
describe('SQLite checkpointer', () => {
  async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
    for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      if (check()) return true;
    }
    return check();
  }

  it('copies committed pages into the database file within a few ticks, also after a reader held it back', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rk-checkpoint-'));
    const file = join(folder, 'c.sqlite');
    const mine = openDatabase(`sqlite:${file}`);
    const fileSize = () => statSync(file).size;
    try {
      await sql`create table t (v text)`.execute(mine.db);
      for (let i = 0; i < 2000; i++) await sql`insert into t (v) values (hex(randomblob(500)))`.execute(mine.db);
      // About 2 MB committed: the database file grows once the checkpointer has copied the WAL into it.
      expect(await waitFor(() => fileSize() > 1_000_000)).toBe(true);
      // ...and stops growing once the checkpointer has caught up (on a busy machine it may still be copying).
      let last = -1;
      let same = 0;
      const settled = () => {
        const size = fileSize();
        same = size === last ? same + 1 : 0;
        last = size;
        return same >= 4;
      };
      expect(await waitFor(settled, 10_000)).toBe(true);

      // A reader's open snapshot holds the next checkpoint back; once it ends, the pages are copied without any
      // further commit (a checkpointer that only reacted to commits would leave them in the WAL).
      const reader = new SQLite(file);
      reader.exec('begin');
      reader.prepare('select count(*) from t').get();
      const before = fileSize();
      for (let i = 0; i < 2000; i++) await sql`insert into t (v) values (hex(randomblob(500)))`.execute(mine.db);
      await new Promise((r) => setTimeout(r, 400));
      expect(fileSize()).toBe(before);
      reader.exec('commit');
      reader.close();
      expect(await waitFor(() => fileSize() > before + 1_000_000)).toBe(true);
    } finally {
      await mine.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // Under steady writes a PASSIVE checkpoint never finds the WAL wholly copied when a transaction begins, so SQLite never
  // starts it over by itself: past its threshold the checkpointer asks the writer for a pause and restarts it then.
  it('starts the WAL over in a pause of the writer once it passes the threshold, so steady writes keep it small', async () => {
    const { file, sqlite, remove } = walFile('restart');
    let pauses = 0;
    let paused = false;
    let writesInPause = 0;
    const pause = async (work: () => Promise<void>) => {
      pauses += 1;
      paused = true;
      try {
        await work();
      } finally {
        paused = false;
      }
    };
    const checkpointer = startCheckpointer(sqlite, file, pause, { restartAtFrames: 64 });
    const walSize = () => statSync(`${file}-wal`).size;
    let largest = 0;
    try {
      const insert = sqlite.prepare('insert into t (v) values (hex(randomblob(8000)))');
      // About 10 MB in 600 commits of 16 KB, one every few milliseconds, none while paused (as the writer does).
      for (let i = 0; i < 600; i++) {
        while (paused) await new Promise((r) => setTimeout(r, 1));
        insert.run();
        if (paused) writesInPause += 1;
        largest = Math.max(largest, walSize());
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(pauses).toBeGreaterThan(0);
      expect(writesInPause).toBe(0);
      // Without the restarts the WAL would hold all 10 MB: the committing connection's own checkpoint is far higher.
      expect(largest).toBeLessThan(4_000_000);
      expect(sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 600 });
    } finally {
      await checkpointer.stop();
      remove();
    }
  });

  it('a restart held back by another reader is asked for again only after a while, not at every tick', async () => {
    const { file, sqlite, remove } = walFile('restart-held');
    let pauses = 0;
    const checkpointer = startCheckpointer(
      sqlite,
      file,
      async (work) => {
        pauses += 1;
        await work();
      },
      { restartAtFrames: 16 },
    );
    // Another process's reader, in the middle of a long read: the WAL cannot start over while it reads.
    const reader = new SQLite(file);
    reader.exec('begin');
    reader.prepare('select count(*) from t').get();
    try {
      const insert = sqlite.prepare('insert into t (v) values (hex(randomblob(8000)))');
      for (let i = 0; i < 150; i++) {
        insert.run();
        await new Promise((r) => setTimeout(r, 10));
      }
      // About 1.5 s of writes past the threshold: one pause, then none until the retry is due (5 s).
      expect(pauses).toBe(1);
    } finally {
      reader.exec('commit');
      reader.close();
      await checkpointer.stop();
      remove();
    }
  });
});
