import type { Executor } from '../../db/schema.js';
import type { MerchantRow, NewMerchant, StoreRow } from './merchants.table.js';

export async function insertMerchant(db: Executor, row: NewMerchant): Promise<void> {
  await db.insertInto('merchants').values(row).execute();
}

export function findMerchant(db: Executor, id: string): Promise<MerchantRow | undefined> {
  return db.selectFrom('merchants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateRefundKey(db: Executor, merchantId: string, hash: string, at: number): Promise<void> {
  await db
    .updateTable('merchants')
    .set({ refund_key_hash: hash, refund_key_set_at: at })
    .where('id', '=', merchantId)
    .execute();
}

export async function insertStore(db: Executor, row: StoreRow): Promise<void> {
  await db.insertInto('stores').values(row).execute();
}

export function findStore(db: Executor, id: string): Promise<StoreRow | undefined> {
  return db.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateCrossStoreRefunds(db: Executor, merchantId: string, allowed: boolean): Promise<void> {
  await db
    .updateTable('merchants')
    .set({ cross_store_refunds: allowed ? 1 : 0 })
    .where('id', '=', merchantId)
    .execute();
}

export async function updateRatePlan(db: Executor, merchantId: string, id: string, fees: string): Promise<void> {
  await db.updateTable('merchants').set({ rate_plan_id: id, rate_plan: fees }).where('id', '=', merchantId).execute();
}

export function storesOfMerchant(db: Executor, merchantId: string): Promise<StoreRow[]> {
  return db.selectFrom('stores').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at').execute();
}
