import type { Executor } from '../../db/schema.js';
import type { RefundKeyRow } from './refund-keys.table.js';

/** The active key of one scope: a store override (storeId) or the merchant-wide key (null). */
export function activeKey(db: Executor, merchantId: string, storeId: string | null): Promise<RefundKeyRow | undefined> {
  let query = db
    .selectFrom('refund_keys')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('retired_at', 'is', null);
  query = storeId === null ? query.where('store_id', 'is', null) : query.where('store_id', '=', storeId);
  return query.executeTakeFirst();
}

/** The active keys of a store and of its merchant (at most one each) in one statement: the store's first. */
export async function activeStoreAndMerchantKeys(
  db: Executor,
  merchantId: string,
  storeId: string,
): Promise<{ store: RefundKeyRow | undefined; merchant: RefundKeyRow | undefined }> {
  const rows = await db
    .selectFrom('refund_keys')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('retired_at', 'is', null)
    .where((eb) => eb.or([eb('store_id', '=', storeId), eb('store_id', 'is', null)]))
    .execute();
  return { store: rows.find((r) => r.store_id === storeId), merchant: rows.find((r) => r.store_id === null) };
}

/** The most recent keys of a scope, newest first (the active one included). */
export function recentKeys(
  db: Executor,
  merchantId: string,
  storeId: string | null,
  limit: number,
): Promise<RefundKeyRow[]> {
  let query = db.selectFrom('refund_keys').selectAll().where('merchant_id', '=', merchantId);
  query = storeId === null ? query.where('store_id', 'is', null) : query.where('store_id', '=', storeId);
  return query.orderBy('version', 'desc').limit(limit).execute();
}

export function activeKeysOfMerchant(db: Executor, merchantId: string): Promise<RefundKeyRow[]> {
  return db
    .selectFrom('refund_keys')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('retired_at', 'is', null)
    .execute();
}

/** Retire the active key of a scope; the unique index on active keys turns a concurrent save into a conflict. */
export async function retireActive(
  db: Executor,
  merchantId: string,
  storeId: string | null,
  at: number,
): Promise<void> {
  let query = db
    .updateTable('refund_keys')
    .set({ retired_at: at })
    .where('merchant_id', '=', merchantId)
    .where('retired_at', 'is', null);
  query = storeId === null ? query.where('store_id', 'is', null) : query.where('store_id', '=', storeId);
  await query.execute();
}

export async function insertKey(db: Executor, row: RefundKeyRow): Promise<void> {
  await db.insertInto('refund_keys').values(row).execute();
}

/** Active keys set at or before `setBefore` whose owner has not been reminded yet. */
export function dueForReminder(db: Executor, setBefore: number, limit: number): Promise<RefundKeyRow[]> {
  return db
    .selectFrom('refund_keys')
    .selectAll()
    .where('retired_at', 'is', null)
    .where('reminded_at', 'is', null)
    .where('set_at', '<=', setBefore)
    .orderBy('set_at')
    .limit(limit)
    .execute();
}

/** Claim a reminder: true for exactly one caller, whatever the number of instances. */
export async function markReminded(db: Executor, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('refund_keys')
    .set({ reminded_at: at })
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The merchant-wide key kept on the merchant row by earlier versions and by the demo (no history, policy password). */
export function legacyMerchantKey(db: Executor, merchantId: string) {
  return db
    .selectFrom('merchants')
    .select(['refund_key_hash', 'refund_key_set_at', 'name'])
    .where('id', '=', merchantId)
    .executeTakeFirst();
}
