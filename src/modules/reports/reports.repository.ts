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

/** How the console names a payment method: the card and cash kinds, and the QR kind split by wallet. */
export type MethodFilter = 'card' | 'wechat' | 'alipay' | 'unionpay' | 'cash' | 'order';

/** The filters both lists share (the refunds list applies method and card to the refunded sale). */
export interface CommonFilters {
  storeId?: string | undefined;
  terminalId?: string | undefined;
  operatorId?: string | undefined;
  status?: string | undefined;
  method?: MethodFilter | undefined;
  amountMin?: number | undefined;
  amountMax?: number | undefined;
  reference?: string | undefined;
  cardLast4?: string | undefined;
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

/**
 * The method and card filters on a sales row. The wallet and last 4 digits live only in the masked JSON
 * `method_detail` (written by JSON.stringify, so without spaces); the values are from a closed list or 4 digits (the
 * route checks them), so they cannot carry a LIKE wildcard.
 */
function saleMethodOf(f: CommonFilters): RawBuilder<SqlBool>[] {
  const parts: RawBuilder<SqlBool>[] = [];
  if (f.method === 'card') parts.push(sql<SqlBool>`method = 'bank_card'`);
  else if (f.method === 'cash' || f.method === 'order') parts.push(sql<SqlBool>`method = ${f.method}`);
  else if (f.method) {
    parts.push(sql<SqlBool>`method = 'qr' and method_detail like ${`%"wallet":"${f.method}"%`}`);
  }
  if (f.cardLast4)
    parts.push(sql<SqlBool>`method = 'bank_card' and method_detail like ${`%"last4":"${f.cardLast4}"%`}`);
  return parts;
}

/** `where` over both lists' own columns: store, terminal, operator, amount range. */
function commonOf(f: CommonFilters): RawBuilder<SqlBool>[] {
  const parts: RawBuilder<SqlBool>[] = [];
  if (f.storeId) parts.push(sql<SqlBool>`store_id = ${f.storeId}`);
  if (f.terminalId) parts.push(sql<SqlBool>`terminal_id = ${f.terminalId}`);
  if (f.operatorId) parts.push(sql<SqlBool>`operator_id = ${f.operatorId}`);
  if (f.amountMin !== undefined) parts.push(sql<SqlBool>`amount >= ${f.amountMin}`);
  if (f.amountMax !== undefined) parts.push(sql<SqlBool>`amount <= ${f.amountMax}`);
  return parts;
}

const all = (parts: RawBuilder<SqlBool>[]) =>
  parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;

/** Sales of a merchant, newest first, one more than the page (to tell whether there is more). */
export function listSales(db: Executor, s: ListScope, f: CommonFilters) {
  const parts = [...commonOf(f), ...saleMethodOf(f)];
  if (f.reference) parts.push(sql<SqlBool>`id = ${f.reference}`);
  let q = db.selectFrom('sales').selectAll();
  if (f.status === 'voided') q = q.where('voided', '=', 1);
  else if (f.status) q = q.where('status', '=', f.status as 'succeeded').where('voided', '=', 0);
  return q
    .where(all(parts))
    .where(scopeOf(s))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(s.limit + 1)
    .execute();
}

/** Refunds of a merchant, newest first, one more than the page. The reference is the refund's or its sale's id. */
export function listRefunds(
  db: Executor,
  s: ListScope,
  f: CommonFilters & { saleId?: string | undefined; type?: string | undefined },
) {
  const parts = commonOf(f);
  const onSale = saleMethodOf(f);
  if (onSale.length > 0) {
    parts.push(sql<SqlBool>`sale_id in (select id from sales where merchant_id = ${s.merchantId} and ${all(onSale)})`);
  }
  if (f.reference) parts.push(sql<SqlBool>`(id = ${f.reference} or sale_id = ${f.reference})`);
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
  if (f.saleId) q = q.where('sale_id', '=', f.saleId);
  if (f.status) q = q.where('status', '=', f.status as 'succeeded');
  if (f.type) q = q.where('type', '=', f.type as 'refund');
  return q
    .where(all(parts))
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
