import { sql } from 'kysely';
import { precompiled } from '../../db/precompiled.js';
import type { Executor } from '../../db/schema.js';
import type { SaleRow } from './sales.table.js';

/** A literal, as the partial index sales_pending says it: a bound value there makes SQLite re-prepare at every run. */
const PENDING = sql.lit<'pending'>('pending');

const SALE_COLUMNS = [
  'id',
  'merchant_id',
  'store_id',
  'terminal_id',
  'operator_id',
  'batch_id',
  'status',
  'amount',
  'currency',
  'method',
  'method_detail',
  'card_fingerprint',
  'decline_code',
  'acquirer_ref',
  'refunded_amount',
  'reserved_amount',
  'refund_count',
  'voided',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof SaleRow>;

// One insert per sale: built once (precompiled), not per request.
const insertSaleQuery = precompiled<SaleRow, unknown>(SALE_COLUMNS, (db, row) => db.insertInto('sales').values(row));

export async function insertSale(db: Executor, row: SaleRow): Promise<void> {
  await insertSaleQuery(db, row);
}

export function findSale(db: Executor, id: string, merchantId: string): Promise<SaleRow | undefined> {
  return db
    .selectFrom('sales')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
}

/** Move a pending sale to its outcome; only the first caller wins. */
export async function finishPendingSale(
  db: Executor,
  id: string,
  outcome: {
    status: 'succeeded' | 'declined';
    decline_code: string | null;
    acquirer_ref: string | null;
    batch_id: string;
    updated_at: number;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('sales')
    .set(outcome)
    .where('id', '=', id)
    .where('status', '=', PENDING)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function pendingSalesBefore(db: Executor, before: number, limit: number): Promise<SaleRow[]> {
  return db
    .selectFrom('sales')
    .selectAll()
    .where('status', '=', PENDING)
    .where('created_at', '<', before)
    .limit(limit)
    .execute();
}

/**
 * Reserve an amount for a refund with one conditional statement, so that succeeded plus reserved refunds never exceed
 * the capture, whatever the concurrency and on every instance. Voids additionally require the full, untouched amount.
 */
export async function reserveRefund(
  db: Executor,
  input: { saleId: string; merchantId: string; amount: number; maxRefunds: number; fullVoid: boolean; now: number },
): Promise<boolean> {
  let query = db
    .updateTable('sales')
    .set((eb) => ({
      reserved_amount: eb('reserved_amount', '+', input.amount),
      refund_count: eb('refund_count', '+', 1),
      updated_at: input.now,
    }))
    .where('id', '=', input.saleId)
    .where('merchant_id', '=', input.merchantId)
    .where('status', '=', 'succeeded')
    .where('voided', '=', 0)
    .where('refund_count', '<', input.maxRefunds)
    .where(sql<number>`refunded_amount + reserved_amount + ${input.amount}`, '<=', sql<number>`amount`);
  if (input.fullVoid) {
    query = query.where('refunded_amount', '=', 0).where('reserved_amount', '=', 0).where('amount', '=', input.amount);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Turn a reservation into a refunded amount (and mark a void). */
export async function applyReservation(
  db: Executor,
  saleId: string,
  amount: number,
  isVoid: boolean,
  now: number,
): Promise<void> {
  await db
    .updateTable('sales')
    .set((eb) => ({
      reserved_amount: eb('reserved_amount', '-', amount),
      refunded_amount: eb('refunded_amount', '+', amount),
      ...(isVoid ? { voided: 1 } : {}),
      updated_at: now,
    }))
    .where('id', '=', saleId)
    .execute();
}

/** Give a reservation back (refund canceled, expired or failed); it no longer counts towards the 50. */
export async function releaseReservation(db: Executor, saleId: string, amount: number, now: number): Promise<void> {
  await db
    .updateTable('sales')
    .set((eb) => ({
      reserved_amount: eb('reserved_amount', '-', amount),
      refund_count: eb('refund_count', '-', 1),
      updated_at: now,
    }))
    .where('id', '=', saleId)
    .execute();
}
