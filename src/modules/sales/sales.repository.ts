import { sql } from 'kysely';
import { isNotNullViolation } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { Executor } from '../../db/schema.js';
import { JOURNAL_COLUMNS, journalInsert, type PlannedCharge } from '../acquirer/index.js';
import { KEY_COLUMNS, keyInsert } from '../idempotency/index.js';
import { heldBatch } from '../settlements/index.js';
import { noActiveEndpoints } from '../webhooks/index.js';
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

type JournalRow = PlannedCharge['journal'];
type KeyRow = Parameters<typeof keyInsert>[1];

/** What one sale writes when its statement is the whole transaction (`insertSaleInOneStatement`). */
export interface SaleWrites {
  /** `batch_id` is the batch the terminal last had open: a guess the statement checks and holds. */
  sale: SaleRow;
  journal: JournalRow;
  key: KeyRow;
}

/** The parts of SaleWrites, flattened to `part.column` arguments for `precompiled`. */
const PARTS = { sale: SALE_COLUMNS, journal: JOURNAL_COLUMNS, key: KEY_COLUMNS } as const;
type Flat = Record<string, unknown>;
const FLAT_NAMES = Object.entries(PARTS).flatMap(([part, columns]) => columns.map((c) => `${part}.${c}`));
const pick = <T>(args: Flat, part: keyof typeof PARTS): T =>
  Object.fromEntries(PARTS[part].map((c) => [c, args[`${part}.${c}`]])) as T;

/**
 * PostgreSQL: a card sale's writes (the acquirer's journal, the sale, the idempotency key with its answer) as one
 * statement, which commits on its own: 1 round trip instead of 7. The sale's batch is held like `openBatch` holds it
 * (so a settlement closing it waits, or has closed it first), and the sale takes its id only while the merchant has
 * no active webhook endpoint (the event would need the endpoints read); otherwise the batch id is null, the sale's NOT
 * NULL refuses it and nothing of the statement remains. Built once (precompiled) and prepared per connection.
 */
const saleInOneStatement = precompiled<Flat, unknown>(FLAT_NAMES, (db, args) => {
  const sale = pick<SaleRow>(args, 'sale');
  const held = heldBatch(db, sale.batch_id, sale.terminal_id);
  const bookedSale = db
    .insertInto('sales')
    .values({ ...sale, batch_id: sql<string>`(select id from held where ${noActiveEndpoints(sale.merchant_id)})` });
  const journal = journalInsert(db, pick<JournalRow>(args, 'journal'));
  const key = keyInsert(db, pick<KeyRow>(args, 'key'));
  const statement = sql`with held as (${held}), journal as (${journal}), sale as (${bookedSale}), key as (${key}) select 1`;
  return { compile: () => statement.compile(db) };
});

/**
 * Write a sale as `saleInOneStatement`; false, with nothing written, when the guessed batch is no longer open or the
 * merchant has an active webhook endpoint: the sale then goes the long way, in a transaction. A replayed
 * Idempotency-Key fails on its primary key, as in the transaction.
 */
export async function insertSaleInOneStatement(db: Executor, writes: SaleWrites): Promise<boolean> {
  const args: Flat = {};
  for (const part of Object.keys(PARTS) as Array<keyof typeof PARTS>) {
    const row = writes[part] as unknown as Flat;
    for (const column of PARTS[part]) args[`${part}.${column}`] = row[column];
  }
  try {
    await saleInOneStatement(db, args);
    return true;
  } catch (error) {
    if (isNotNullViolation(error, 'sales', 'batch_id')) return false;
    throw error;
  }
}
