import type { Executor } from '../../db/schema.js';
import type { IdempotencyRow } from './idempotency.table.js';

export function findKey(db: Executor, terminalId: string, key: string): Promise<IdempotencyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function insertKey(db: Executor, row: IdempotencyRow): Promise<void> {
  await db.insertInto('idempotency_keys').values(row).execute();
}

export async function saveResponse(
  db: Executor,
  terminalId: string,
  key: string,
  statusCode: number,
  response: string,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: statusCode, response })
    .where('terminal_id', '=', terminalId)
    .where('key', '=', key)
    .execute();
}

export async function deleteOlderThan(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
