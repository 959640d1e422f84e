import type { Executor } from '../../db/schema.js';
import type { RefundRow, RefundStatus } from './refunds.table.js';

export async function insertRefund(db: Executor, row: RefundRow): Promise<void> {
  await db.insertInto('refunds').values(row).execute();
}

export function findRefund(db: Executor, id: string, merchantId: string): Promise<RefundRow | undefined> {
  return db.selectFrom('refunds').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst();
}

export function refundsOfSale(db: Executor, saleId: string): Promise<RefundRow[]> {
  return db.selectFrom('refunds').selectAll().where('sale_id', '=', saleId).orderBy('created_at').orderBy('id').execute();
}

/** Move a refund between states only from the state the caller saw; true for the one caller that did. */
export async function transition(
  db: Executor,
  id: string,
  from: RefundStatus[],
  set: Partial<Omit<RefundRow, 'id'>>,
): Promise<boolean> {
  const result = await db.updateTable('refunds').set(set).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
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
  return db.selectFrom('refunds').selectAll().where('status', '=', 'processing').where('updated_at', '<', before).limit(limit).execute();
}
