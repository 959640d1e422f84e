import { precompiled } from '../../db/precompiled.js';
import type { Executor } from '../../db/schema.js';
import type { IdempotencyRow } from './idempotency.table.js';

/** The columns of a key row, in the order its insert names them. */
export const KEY_COLUMNS = [
  'terminal_id',
  'key',
  'request_hash',
  'resource_id',
  'status_code',
  'response',
  'created_at',
] as const satisfies ReadonlyArray<keyof IdempotencyRow>;

/** The insert that claims a key: a statement of its own, or a part of a sale's one statement. */
export function keyInsert(db: Executor, row: IdempotencyRow) {
  return db.insertInto('idempotency_keys').values(row);
}

// Inserted by every sale: built once (precompiled), not per request.
const insertKeyQuery = precompiled<IdempotencyRow, unknown>(KEY_COLUMNS, keyInsert);

export function findKey(db: Executor, terminalId: string, key: string): Promise<IdempotencyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Claim a key; with `status_code` and `response` set, the claim and the final answer are one statement. */
export async function insertKey(db: Executor, row: IdempotencyRow): Promise<void> {
  await insertKeyQuery(db, row);
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
