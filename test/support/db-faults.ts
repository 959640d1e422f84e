import { sql } from 'kysely';
import type { TestApp } from './test-app.js';

/**
 * A real database fault: a trigger that makes the database itself refuse every UPDATE of `table` whose new row has
 * `column` = `value`, raising `message`. The app's code runs unchanged and meets the error where it would meet a full
 * disk or a broken constraint, inside its own transaction. Returns the function that removes the trigger.
 */
export async function failUpdates(
  t: TestApp,
  { table, column, value, message }: { table: string; column: string; value: string; message: string },
): Promise<() => Promise<void>> {
  const name = `test_fault_${table}`;
  const literal = (text: string) => sql.lit(text);
  if (t.dialect === 'sqlite') {
    await sql`create trigger ${sql.id(name)} before update on ${sql.table(table)} when new.${sql.ref(column)} = ${literal(value)} begin select raise(abort, ${literal(message)}); end`.execute(
      t.db,
    );
    return async () => {
      await sql`drop trigger if exists ${sql.id(name)}`.execute(t.db);
    };
  }
  await sql`create function ${sql.id(name)}() returns trigger language plpgsql as ${literal(`begin raise exception '${message.replaceAll("'", "''")}'; end`)}`.execute(
    t.db,
  );
  await sql`create trigger ${sql.id(name)} before update on ${sql.table(table)} for each row when (new.${sql.ref(column)} = ${literal(value)}) execute function ${sql.id(name)}()`.execute(
    t.db,
  );
  return async () => {
    await sql`drop trigger if exists ${sql.id(name)} on ${sql.table(table)}`.execute(t.db);
    await sql`drop function if exists ${sql.id(name)}()`.execute(t.db);
  };
}
