import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../db/schema.js';

/** The window and scope of a summary: [from, to) in epoch ms, the merchant, its stores (null: all). */
export interface SummaryScope {
  merchantId: string;
  storeIds: string[] | null;
  storeId: string | undefined;
  from: number;
  to: number;
}

/** Beijing days are UTC+8 all year; integer division gives the same day number on SQLite and PostgreSQL (bigint). */
export const DAY = 86_400_000;
export const BEIJING_OFFSET = 8 * 3_600_000;
const dayOf = sql<number>`((created_at + ${sql.lit(BEIJING_OFFSET)}) / ${sql.lit(DAY)})`;

/** Only succeeded sales count; a refund counts once it has succeeded (refunds and voids alike). */
function where(s: SummaryScope): RawBuilder<SqlBool> {
  const parts = [
    sql`merchant_id = ${s.merchantId}`,
    sql`created_at >= ${s.from}`,
    sql`created_at < ${s.to}`,
    sql`status = 'succeeded'`,
  ];
  if (s.storeIds !== null) parts.push(s.storeIds.length > 0 ? sql`store_id in (${sql.join(s.storeIds)})` : sql`1 = 0`);
  if (s.storeId) parts.push(sql`store_id = ${s.storeId}`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** The console's method names; the wallet of a QR sale is only in the masked JSON detail. */
const methodOf = sql<string>`case
  when method = 'bank_card' then 'card'
  when method = 'qr' and method_detail like '%"wallet":"wechat"%' then 'wechat'
  when method = 'qr' and method_detail like '%"wallet":"alipay"%' then 'alipay'
  when method = 'qr' then 'unionpay'
  else method end`;

const n = (v: unknown) => Number(v ?? 0);

export async function salesByDay(db: Executor, s: SummaryScope) {
  const rows = await db
    .selectFrom('sales')
    .select([dayOf.as('day'), sql<number>`count(*)`.as('count'), sql<number>`sum(amount)`.as('amount')])
    .where(where(s))
    .groupBy(dayOf)
    .execute();
  return rows.map((r) => ({ day: n(r.day), count: n(r.count), amount: n(r.amount) }));
}

export async function refundsByDay(db: Executor, s: SummaryScope) {
  const rows = await db
    .selectFrom('refunds')
    .select([dayOf.as('day'), sql<number>`count(*)`.as('count'), sql<number>`sum(amount)`.as('amount')])
    .where(where(s))
    .groupBy(dayOf)
    .execute();
  return rows.map((r) => ({ day: n(r.day), count: n(r.count), amount: n(r.amount) }));
}

export async function salesByMethod(db: Executor, s: SummaryScope) {
  const rows = await db
    .selectFrom('sales')
    .select([methodOf.as('method'), sql<number>`count(*)`.as('count'), sql<number>`sum(amount)`.as('amount')])
    .where(where(s))
    .groupBy(methodOf)
    .execute();
  return rows.map((r) => ({ method: String(r.method), count: n(r.count), amount: n(r.amount) }));
}

export async function byOperator(db: Executor, s: SummaryScope, table: 'sales' | 'refunds') {
  const rows = await db
    .selectFrom(table)
    .select([
      sql<string>`operator_id`.as('operator_id'),
      sql<number>`count(*)`.as('count'),
      sql<number>`sum(amount)`.as('amount'),
    ])
    .where(where(s))
    .groupBy(sql`operator_id`)
    .execute();
  return rows.map((r) => ({ operator_id: String(r.operator_id), count: n(r.count), amount: n(r.amount) }));
}

/** The busiest refund reasons (free text typed at the till), most refunded amount first. */
export async function refundsByReason(db: Executor, s: SummaryScope, limit: number) {
  const rows = await db
    .selectFrom('refunds')
    .select(['reason', sql<number>`count(*)`.as('count'), sql<number>`sum(amount)`.as('amount')])
    .where(where(s))
    .groupBy('reason')
    .orderBy(sql`sum(amount)`, 'desc')
    .orderBy('reason')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ reason: r.reason, count: n(r.count), amount: n(r.amount) }));
}

export function operatorsOf(db: Executor, merchantId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('operators')
    .select(['id', 'operator_no', 'name', 'store_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', ids)
    .execute();
}

/** Names of the merchant's terminals and stores, for messages that must not show internal ids. */
export async function placeNamesOf(db: Executor, merchantId: string, terminalIds: string[], storeIds: string[]) {
  const namesIn = async (table: 'terminals' | 'stores', ids: string[]) => {
    if (ids.length === 0) return new Map<string, string>();
    const rows = await db
      .selectFrom(table)
      .select(['id', 'name'])
      .where('merchant_id', '=', merchantId)
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  };
  const [terminals, stores] = await Promise.all([namesIn('terminals', terminalIds), namesIn('stores', storeIds)]);
  return { terminals, stores };
}

/** Attempt scopes of the merchant locked at `now` (refund key, codes, operator sign-in, ...). */
export function activeLockouts(db: Executor, merchantId: string, now: number) {
  return db
    .selectFrom('attempt_limits')
    .select(['scope', 'locked_until', 'updated_at'])
    .where('merchant_id', '=', merchantId)
    .where('locked_until', '>', now)
    .orderBy('updated_at', 'desc')
    .limit(100)
    .execute();
}

/** Messages to or about the merchant that were given up on, newest first. */
export function failedMessages(db: Executor, merchantId: string, limit: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'channel', 'template', 'last_error', 'attempts', 'created_at', 'updated_at'])
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'failed')
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
}

/** The velocity alerts (an operator starting many refunds in a short time) the refunds module audited since `since`. */
export function velocityAlerts(db: Executor, merchantId: string, since: number, limit: number) {
  return db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'detail'])
    .where('merchant_id', '=', merchantId)
    .where('at', '>=', since)
    .where('event', '=', 'refund.velocity_alert')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

/** One message of the merchant's outbox (to retry it), or undefined when it is not the merchant's. */
export function messageOf(db: Executor, merchantId: string, id: string) {
  return db
    .selectFrom('outbox')
    .select(['id', 'status'])
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
}
