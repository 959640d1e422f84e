import { sql } from 'kysely';
import { writersExcluded } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { Executor } from '../../db/schema.js';
import type { PaymentMethodType } from '../acquirer/index.js';
import type { RatePlan } from '../merchants/index.js';
import type { BatchRow } from './settlements.table.js';

/**
 * `status = 'open'` as a literal, not a bound value: a term with a bound value on the column of a partial index
 * (batches_one_open) makes SQLite prepare the statement again at every run, in case the value changes which index
 * applies (a batch look-up took 7.6 µs instead of 3.3 µs).
 */
const OPEN = sql.lit<'open'>('open');

// Read by every sale on SQLite (holdOpenBatchOf): built once, not per request.
const openBatchQuery = precompiled<{ terminalId: string }, BatchRow>(['terminalId'], (db, args) =>
  db.selectFrom('batches').selectAll().where('terminal_id', '=', args.terminalId).where('status', '=', OPEN),
);

export async function findOpenBatch(db: Executor, terminalId: string): Promise<BatchRow | undefined> {
  return (await openBatchQuery(db, { terminalId })).rows[0];
}

export function findBatch(db: Executor, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Hold an open batch until the caller's transaction ends: a no-op update takes the row lock, so a settlement closing it
 * waits for the sale or refund being booked into it, and a booking that arrives after the close sees it closed.
 * False when the batch is no longer open. On SQLite the transaction's write lock already does this (writersExcluded).
 */
export async function holdOpenBatch(db: Executor, id: string): Promise<boolean> {
  if (writersExcluded(db)) {
    const open = await db.selectFrom('batches').select('id').where('id', '=', id).where('status', '=', OPEN);
    return (await open.executeTakeFirst()) !== undefined;
  }
  const result = await db
    .updateTable('batches')
    .set({ status: 'open' })
    .where('id', '=', id)
    .where('status', '=', OPEN)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Find and hold (as `holdOpenBatch`) the terminal's open batch in one statement; undefined when it has none open. On
 * SQLite the transaction already holds the write lock, so finding it holds it (and a sale writes one page less).
 */
export function holdOpenBatchOf(db: Executor, terminalId: string): Promise<BatchRow | undefined> {
  if (writersExcluded(db)) return findOpenBatch(db, terminalId);
  return db
    .updateTable('batches')
    .set({ status: 'open' })
    .where('terminal_id', '=', terminalId)
    .where('status', '=', OPEN)
    .returningAll()
    .executeTakeFirst();
}

/**
 * PostgreSQL, as a part of one statement: hold (as `holdOpenBatch`) the terminal's batch `id` while it is open, and
 * return its id; no row once it is closed.
 */
export function heldBatch(db: Executor, id: string, terminalId: string) {
  return db
    .updateTable('batches')
    .set({ status: 'open' })
    .where('id', '=', id)
    .where('terminal_id', '=', terminalId)
    .where('status', '=', OPEN)
    .returning('id');
}

/** Open a batch unless the terminal has one; the partial unique index makes concurrent openings safe. */
export async function insertOpenBatchIfNone(db: Executor, row: BatchRow): Promise<void> {
  await db
    .insertInto('batches')
    .values(row)
    .onConflict((oc) => oc.column('terminal_id').where('status', '=', sql.lit('open')).doNothing())
    .execute();
}

/** Close an open batch; true for the one caller that closed it. */
export async function closeBatch(db: Executor, id: string, closedAt: number, report: string): Promise<boolean> {
  const result = await db
    .updateTable('batches')
    .set({ status: 'closed', closed_at: closedAt, report })
    .where('id', '=', id)
    .where('status', '=', OPEN)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface MethodTotals {
  method: PaymentMethodType;
  count: number;
  amount: number;
  fees: number;
}

/** Succeeded sales of a batch per method, with fees per sale from the rate plan (voided sales carry no fee). */
export async function saleTotals(db: Executor, batchId: string, plan: RatePlan): Promise<MethodTotals[]> {
  const fee = sql<number>`case ${sql.join(
    (Object.keys(plan) as PaymentMethodType[]).map((method) => {
      const { bps, cap } = plan[method];
      // Cast the bound numbers: better-sqlite3 binds them as REAL, which turns the integer division into a fraction.
      const raw = sql`(amount * cast(${bps} as bigint) + 5000) / 10000`;
      const capped = sql`case when ${raw} > cast(${cap} as bigint) then cast(${cap} as bigint) else ${raw} end`;
      return sql`when method = ${method} then ${cap === null ? raw : capped}`;
    }),
    sql` `,
  )} else 0 end`;
  const rows = await db
    .selectFrom('sales')
    .select([
      'method',
      sql<number>`count(*)`.as('count'),
      sql<number>`coalesce(sum(amount), 0)`.as('amount'),
      sql<number>`coalesce(sum(case when voided = 0 then ${fee} else 0 end), 0)`.as('fees'),
    ])
    .where('batch_id', '=', batchId)
    .where('status', '=', 'succeeded')
    .groupBy('method')
    .execute();
  return rows.map((r) => ({
    method: r.method,
    count: Number(r.count),
    amount: Number(r.amount),
    fees: Number(r.fees),
  }));
}

/** Succeeded refunds and voids booked in a batch, per method and type. */
export async function refundTotals(db: Executor, batchId: string) {
  const rows = await db
    .selectFrom('refunds')
    .select(['method', 'type', sql<number>`count(*)`.as('count'), sql<number>`coalesce(sum(amount), 0)`.as('amount')])
    .where('batch_id', '=', batchId)
    .where('status', '=', 'succeeded')
    .groupBy(['method', 'type'])
    .execute();
  return rows.map((r) => ({ method: r.method, type: r.type, count: Number(r.count), amount: Number(r.amount) }));
}
