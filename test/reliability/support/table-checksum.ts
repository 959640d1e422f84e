import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../../src/db/database.js';

/**
 * Columns and tables that SECURITY.md requires a refused request to change: wrong-entry counters, lockouts, and the
 * audit log ("every failed login ... writes an entry"). Everything else must stay byte for byte the same.
 */
export const RECORDS_REFUSALS = {
  tables: /^audit_|attempt|failure|lock|throttle/i,
  columns: /failures?$|attempts?$|locked_until|lockout|last_failed/i,
};

export interface TableDump {
  /** sha256 of each table's rows (sorted, canonical JSON), in table-name order. */
  tables: Record<string, string>;
  /** Tables left out because they record refusals by design. */
  skipped: string[];
}

/** Every table of the database in a deterministic order and form, hashed per table, for before/after comparisons. */
export async function dumpTables<T>(db: Kysely<T>, dialect: DialectName, skip = RECORDS_REFUSALS): Promise<TableDump> {
  const names = await tableNames(db, dialect);
  const tables: Record<string, string> = {};
  const skipped: string[] = [];
  for (const name of names) {
    if (skip.tables.test(name)) {
      skipped.push(name);
      continue;
    }
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    const lines = rows.map((row) => canonical(row, skip.columns)).sort();
    tables[name] = createHash('sha256').update(lines.join('\n')).digest('hex');
  }
  return { tables, skipped };
}

/** Names of the tables that differ between two dumps. */
export function changedTables(before: TableDump, after: TableDump): string[] {
  const names = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
  return [...names].filter((name) => before.tables[name] !== after.tables[name]).sort();
}

async function tableNames<T>(db: Kysely<T>, dialect: DialectName): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`
      : sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`;
  return (await query.execute(db)).rows.map((r) => r.name);
}

function canonical(row: Record<string, unknown>, skipColumns: RegExp): string {
  const entries = Object.keys(row)
    .filter((column) => !skipColumns.test(column))
    .sort()
    .map((column) => {
      const value = row[column];
      // Normalise what the two drivers return differently for the same stored value.
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
