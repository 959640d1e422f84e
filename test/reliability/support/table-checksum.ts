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
