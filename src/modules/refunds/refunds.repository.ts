import type { Executor } from '../../db/schema.js';
import type { RefundRow, RefundStatus } from './refunds.table.js';

export async function insertRefund(db: Executor, row: RefundRow): Promise<void> {
  await db.insertInto('refunds').values(row).execute();
}

export function findRefund(db: Executor, id: string, merchantId: string): Promise<RefundRow | undefined> {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
}

export function refundsOfSale(db: Executor, saleId: string): Promise<RefundRow[]> {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('sale_id', '=', saleId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Move a refund between states only from the state the caller saw; true for the one caller that did. */
export async function transition(
  db: Executor,
  id: string,
  from: RefundStatus[],
  set: Partial<Omit<RefundRow, 'id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('refunds')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function waitingRefundsExpiredBy(db: Executor, now: number, limit: number): Promise<RefundRow[]> {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('status', 'in', ['requires_authorization', 'pending_approval'])
    .where('expires_at', '<=', now)
    .limit(limit)
    .execute();
}

export function processingRefunds(db: Executor, before: number, limit: number): Promise<RefundRow[]> {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('status', '=', 'processing')
    .where('updated_at', '<', before)
    .limit(limit)
    .execute();
}

/** Count one more issued code, never past `limit`; the new count, or undefined when the limit is reached. */
export async function countCodeIssued(db: Executor, id: string, limit: number): Promise<number | undefined> {
  const row = await db
    .updateTable('refunds')
    .set((eb) => ({ codes_issued: eb('codes_issued', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'requires_authorization')
    .where('codes_issued', '<', limit)
    .returning('codes_issued')
    .executeTakeFirst();
  return row?.codes_issued;
}

/** Refunds an operator started since `since` (velocity alert). */
export async function countStartedByOperator(db: Executor, operatorId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('refunds')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('operator_id', '=', operatorId)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function findRefundsByIds(db: Executor, ids: string[]): Promise<RefundRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('refunds').selectAll().where('id', 'in', ids).execute();
}

/** Record newly satisfied factors of a waiting refund, only if nobody changed them meanwhile. */
export async function updateWaiting(
  db: Executor,
  id: string,
  expectedSatisfied: string,
  set: { satisfied: string; expires_at: number; updated_at: number },
): Promise<boolean> {
  const result = await db
    .updateTable('refunds')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'requires_authorization')
    .where('satisfied', '=', expectedSatisfied)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
