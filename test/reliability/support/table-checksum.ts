import { createHash } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../../../src/db/database.js';

/**
 * Columns and tables that docs/security.md requires a refused request to change: wrong-entry counters, lockouts, and the
 * audit log ("every failed login ... writes an entry"). Everything else must stay byte for byte the same.
 */
export const RECORDS_REFUSALS = {
  tables: /^audit_|attempt|failure|lock|throttle/i,
  columns: /failures?$|attempts?$|locked_until|lockout|last_failed/i,
};

export interface SkipRule {
  tables: RegExp;
  columns: RegExp;
}

export interface TableDump {
  /** A hash of each table's rows (sorted, canonical form), in table-name order. */
  tables: Record<string, string>;
  /** Tables left out because they record refusals by design. */
  skipped: string[];
}

/**
 * Every table of the database in a deterministic order and form, hashed per table, for before/after comparisons.
 * On PostgreSQL the hashing runs in the server, all tables in one statement (md5 of the sorted row texts): a dump per
 * request of a property test was hundreds of round trips. On SQLite (in process) the rows are read and hashed here.
 */
export async function dumpTables<T>(
  db: Kysely<T>,
  dialect: DialectName,
  skip: SkipRule = RECORDS_REFUSALS,
): Promise<TableDump> {
  const columns = await columnsOf(db, dialect);
  const tables: Record<string, string> = {};
  const skipped: string[] = [];
  const kept: Array<[string, string[]]> = [];
  for (const [name, all] of columns) {
    if (skip.tables.test(name)) skipped.push(name);
    else kept.push([name, all.filter((column) => !skip.columns.test(column))]);
  }
  if (dialect === 'postgres') {
    const parts: RawBuilder<unknown>[] = kept.map(
      ([name, cols]) =>
        sql`select ${name}::text as name, md5(coalesce(string_agg(r, E'\\n' order by r collate "C"), '')) as hash from (select json_build_array(${sql.join(cols.map((c) => sql.ref(c)))})::text as r from ${sql.table(name)}) rows`,
    );
    if (parts.length > 0) {
      const { rows } = await sql<{ name: string; hash: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
      for (const row of rows) tables[row.name] = row.hash;
    }
  } else {
    for (const [name, cols] of kept) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
      const lines = rows.map((row) => canonical(row, cols)).sort();
      tables[name] = createHash('sha256').update(lines.join('\n')).digest('hex');
    }
  }
  return { tables: Object.fromEntries(Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : 1))), skipped };
}

/** Names of the tables that differ between two dumps. */
export function changedTables(before: TableDump, after: TableDump): string[] {
  const names = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
  return [...names].filter((name) => before.tables[name] !== after.tables[name]).sort();
}

/** Tables and their columns, read once per Kysely instance (migrations do not run during a test). */
const schemaCache = new WeakMap<object, Promise<Array<[string, string[]]>>>();

function columnsOf<T>(db: Kysely<T>, dialect: DialectName): Promise<Array<[string, string[]]>> {
  let cached = schemaCache.get(db);
  if (!cached) {
    cached = readColumns(db, dialect);
    schemaCache.set(db, cached);
    cached.catch(() => schemaCache.delete(db));
  }
  return cached;
}

async function readColumns<T>(db: Kysely<T>, dialect: DialectName): Promise<Array<[string, string[]]>> {
  const query =
    dialect === 'sqlite'
      ? sql<{
          table: string;
          column: string;
        }>`select m.name as "table", p.name as "column" from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and m.name not like 'sqlite_%' order by m.name, p.cid`
      : sql<{
          table: string;
          column: string;
        }>`select c.table_name as "table", c.column_name as "column" from information_schema.columns c join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' order by c.table_name, c.ordinal_position`;
  const byTable = new Map<string, string[]>();
  for (const { table, column } of (await query.execute(db)).rows) {
    const list = byTable.get(table) ?? [];
    list.push(column);
    byTable.set(table, list);
  }
  return [...byTable.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

function canonical(row: Record<string, unknown>, columns: string[]): string {
  const entries = [...columns].sort().map((column) => {
    const value = row[column];
    const plain =
      typeof value === 'bigint'
        ? Number(value)
        : Buffer.isBuffer(value)
          ? value.toString('hex')
          : value instanceof Date
            ? value.toISOString()
            : value;
    return [column, plain];
  });
  return JSON.stringify(entries);
}

/**
 * A cheap fingerprint of the writes to a database, for skipping a full dump when nothing can have changed: two equal
 * fingerprints mean that no row of a kept table was inserted, updated or deleted between them; two different ones say
 * nothing (a full dump then decides, so a write to a skipped table or column costs a dump, never a wrong answer).
 * - SQLite: the app's one connection counts every row it inserted, updated or deleted (total_changes(), triggers
 *   included), and data_version moves when any other connection commits.
 * - PostgreSQL: the (ctid, xmin) of every visible row version of each kept table: an insert or an update makes a
 *   version with a new (ctid, xmin) (a new transaction id), a delete removes one; vacuum neither moves nor renames a
 *   live version. Read by a PL/pgSQL function made once per database (fingerprintFunction): a statement over every
 *   table was planned again on each call, which cost as much as a dump.
 */
export async function writeFingerprint<T>(db: Kysely<T>, dialect: DialectName, skip: SkipRule): Promise<string> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{
      changes: number;
      version: number;
    }>`select total_changes() as changes, (select data_version from pragma_data_version()) as version`.execute(db);
    return `${rows[0]?.changes}/${rows[0]?.version}`;
  }
  const name = await fingerprintFunction(db, skip);
  const { rows } = await sql<{ fingerprint: string }>`select ${sql.raw(name)}() as fingerprint`.execute(db);
  return rows[0]?.fingerprint ?? '';
}

/** Per database, per rule of skipped tables: a rule of its own gets a function of its own, never another's. */
const fingerprintFunctions = new WeakMap<object, Map<string, Promise<string>>>();

/** The PostgreSQL function behind writeFingerprint for the kept tables of this database, made on first use. */
function fingerprintFunction<T>(db: Kysely<T>, skip: SkipRule): Promise<string> {
  const byRule = fingerprintFunctions.get(db) ?? new Map<string, Promise<string>>();
  fingerprintFunctions.set(db, byRule);
  const rule = `${skip.tables.source}/${skip.tables.flags}`;
  let made = byRule.get(rule);
  if (!made) {
    made = (async () => {
      const name = `refundkey_test_write_fingerprint_${createHash('sha256').update(rule).digest('hex').slice(0, 12)}`;
      const kept = (await columnsOf(db, 'postgres'))
        .map(([table]) => table)
        .filter((table) => !skip.tables.test(table));
      const parts = kept.map(
        (table, i) =>
          `select ${i} as i, md5(coalesce(string_agg(ctid::text || ':' || xmin::text, ',' order by ctid), '')) as h from "${table.replaceAll('"', '""')}"`,
      );
      const body = `begin return (select string_agg(h, ',' order by i) from (${parts.join(' union all ')}) t); end`;
      await sql
        .raw(`create or replace function ${name}() returns text language plpgsql stable as $fp$ ${body} $fp$`)
        .execute(db);
      return name;
    })();
    byRule.set(rule, made);
    made.catch(() => byRule.delete(rule));
  }
  return made;
}

/**
 * dumpTables, skipped when the write fingerprint has not moved since the last dump of this cache: then no kept row was
 * inserted, updated or deleted, and the last dump is the dump. The fingerprint is read before the dump, so a write in
 * between is in the dump and makes the next call dump again. One cache per database and rule (ChangeWatch, TestApp).
 */
export class DumpCache<T> {
  private last: { fingerprint: string; dump: TableDump } | undefined;

  constructor(
    private readonly db: Kysely<T>,
    private readonly dialect: DialectName,
    private readonly skip: SkipRule = RECORDS_REFUSALS,
  ) {}

  async dump(): Promise<TableDump> {
    const fingerprint = await writeFingerprint(this.db, this.dialect, this.skip);
    if (this.last && this.last.fingerprint === fingerprint) return this.last.dump;
    const dump = await dumpTables(this.db, this.dialect, this.skip);
    this.last = { fingerprint, dump };
    return dump;
  }
}

/**
 * "Did this request change anything?" for a run of requests, at the price of a fingerprint per request and a full dump
 * only after writes. settle() before a checked request, changes() after it, touched() after anything else that may
 * write (an allowed call, a fixture). Forgetting touched() can only make a check fail, never pass: the next changes()
 * then compares with the state before that write.
 */
export class ChangeWatch<T> {
  private dump: TableDump | undefined;
  private stale = true;
  private readonly cache: DumpCache<T>;

  constructor(db: Kysely<T>, dialect: DialectName, skip: SkipRule = RECORDS_REFUSALS) {
    this.cache = new DumpCache(db, dialect, skip);
  }

  /** Something else may have written since the last look. */
  touched(): void {
    this.stale = true;
  }

  /** Take the current state as the one the next changes() compares with. */
  async settle(): Promise<void> {
    if (!this.stale) return;
    await this.look();
  }

  /** Tables changed since settle() (or the last changes()); the state now becomes the one compared with next. */
  async changes(): Promise<string[]> {
    if (!this.dump) throw new Error('ChangeWatch: settle() before changes()');
    const before = this.dump;
    await this.look();
    return before === this.dump ? [] : changedTables(before, this.dump);
  }

  private async look(): Promise<void> {
    this.dump = await this.cache.dump();
    this.stale = false;
  }
}
