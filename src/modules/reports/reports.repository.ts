import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../db/schema.js';

/** The merchant and store scope of a list, and its page. */
export interface ListScope {
  merchantId: string;
  /** null: every store of the merchant. */
  storeIds: string[] | null;
  limit: number;
  /** The created_at and id of the last item of the previous page. */
  after: { createdAt: number; id: string } | null;
  createdFrom: number | null;
  createdTo: number | null;
}

type Listed = 'sales' | 'refunds';

/**
 * Merchant, store scope, time range and keyset position (newest first), the same for both lists. Raw SQL because the
 * columns are the same on both tables, which Kysely's typed builder cannot say of a table chosen by a type parameter.
 */
function scopeOf(s: ListScope): RawBuilder<SqlBool> {
  const parts = [sql`merchant_id = ${s.merchantId}`];
  if (s.storeIds !== null) parts.push(s.storeIds.length > 0 ? sql`store_id in (${sql.join(s.storeIds)})` : sql`1 = 0`);
  if (s.createdFrom !== null) parts.push(sql`created_at >= ${s.createdFrom}`);
  if (s.createdTo !== null) parts.push(sql`created_at < ${s.createdTo}`);
  const after = s.after;
  if (after) {
    parts.push(sql`(created_at < ${after.createdAt} or (created_at = ${after.createdAt} and id < ${after.id}))`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** Sales of a merchant, newest first, one more than the page (to tell whether there is more). */
export function listSales(
  db: Executor,
  s: ListScope,
  filters: { storeId?: string | undefined; terminalId?: string | undefined; status?: string | undefined },
) {
  let q = db.selectFrom('sales').selectAll();
  if (filters.storeId) q = q.where('store_id', '=', filters.storeId);
  if (filters.terminalId) q = q.where('terminal_id', '=', filters.terminalId);
  if (filters.status === 'voided') q = q.where('voided', '=', 1);
  else if (filters.status) q = q.where('status', '=', filters.status as 'succeeded').where('voided', '=', 0);
  return q
    .where(scopeOf(s))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(s.limit + 1)
    .execute();
}

/** Refunds of a merchant, newest first, one more than the page. */
export function listRefunds(
  db: Executor,
  s: ListScope,
  filters: {
    storeId?: string | undefined;
    terminalId?: string | undefined;
    saleId?: string | undefined;
    status?: string | undefined;
    type?: string | undefined;
  },
) {
  let q = db
    .selectFrom('refunds')
    .select([
      'id',
      'sale_id',
      'type',
      'amount',
      'reason',
      'status',
      'store_id',
      'terminal_id',
      'operator_id',
      'created_at',
      'completed_at',
    ]);
  if (filters.storeId) q = q.where('store_id', '=', filters.storeId);
  if (filters.terminalId) q = q.where('terminal_id', '=', filters.terminalId);
  if (filters.saleId) q = q.where('sale_id', '=', filters.saleId);
  if (filters.status) q = q.where('status', '=', filters.status as 'succeeded');
  if (filters.type) q = q.where('type', '=', filters.type as 'refund');
  return q
    .where(scopeOf(s))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(s.limit + 1)
    .execute();
}

/** The position (created_at, id) of an object in the merchant's list, for `starting_after`. */
export async function positionOf(
  db: Executor,
  table: Listed,
  merchantId: string,
  id: string,
): Promise<{ createdAt: number; id: string } | undefined> {
  const row = await db
    .selectFrom(table)
    .select(['id', 'created_at'])
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row && { createdAt: Number(row.created_at), id: row.id };
}
