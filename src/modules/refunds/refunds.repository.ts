import type { Executor } from '../../db/schema.js';
import type { AuthorizationFactor, RefundRecord, RefundStatus } from '../refund-model/index.js';
import { FactorsColumn, type RefundRow } from './refunds.table.js';

// Rows become RefundRecords here and only here: the factor lists are parsed once, on the way out of the database.

function toRecord(row: RefundRow): RefundRecord {
  return {
    ...row,
    amount: Number(row.amount),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    expires_at: Number(row.expires_at),
    completed_at: row.completed_at === null ? null : Number(row.completed_at),
    codes_issued: Number(row.codes_issued),
    required: FactorsColumn.read(row.required),
    satisfied: FactorsColumn.read(row.satisfied),
  };
}

/** The fields of a state change, with the factor lists as the record has them. */
export type RefundChange = Partial<Omit<RefundRecord, 'id' | 'required'>>;

function toColumns(change: RefundChange): Partial<Omit<RefundRow, 'id'>> {
  const { satisfied, ...rest } = change;
  return satisfied === undefined ? rest : { ...rest, satisfied: FactorsColumn.write(satisfied) };
}

export async function insertRefund(db: Executor, refund: RefundRecord): Promise<void> {
  await db
    .insertInto('refunds')
    .values({
      ...refund,
      required: FactorsColumn.write(refund.required),
      satisfied: FactorsColumn.write(refund.satisfied),
    })
    .execute();
}

export async function findRefund(db: Executor, id: string, merchantId: string): Promise<RefundRecord | undefined> {
  const row = await db
    .selectFrom('refunds')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function refundsOfSale(db: Executor, saleId: string): Promise<RefundRecord[]> {
  const rows = await db
    .selectFrom('refunds')
    .selectAll()
    .where('sale_id', '=', saleId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** Move a refund between states only from the state the caller saw; true for the one caller that did. */
export async function transition(db: Executor, id: string, from: RefundStatus[], set: RefundChange): Promise<boolean> {
  const result = await db
    .updateTable('refunds')
    .set(toColumns(set))
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The same, answering the refund as it now is (one statement: `update … returning`); undefined when not moved. */
export async function transitionReturning(
  db: Executor,
  id: string,
  from: RefundStatus[],
  set: RefundChange,
): Promise<RefundRecord | undefined> {
  const row = await db
    .updateTable('refunds')
    .set(toColumns(set))
    .where('id', '=', id)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function waitingRefundsExpiredBy(db: Executor, now: number, limit: number): Promise<RefundRecord[]> {
  const rows = await db
    .selectFrom('refunds')
    .selectAll()
    .where('status', 'in', ['requires_authorization', 'pending_approval'])
    .where('expires_at', '<=', now)
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

export async function processingRefunds(db: Executor, before: number, limit: number): Promise<RefundRecord[]> {
  const rows = await db
    .selectFrom('refunds')
    .selectAll()
    .where('status', '=', 'processing')
    .where('updated_at', '<', before)
    .limit(limit)
    .execute();
  return rows.map(toRecord);
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
  return row === undefined ? undefined : Number(row.codes_issued);
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

export async function findRefundsByIds(db: Executor, ids: string[]): Promise<RefundRecord[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('refunds').selectAll().where('id', 'in', ids).execute()).map(toRecord);
}

/** Record newly given factors of a waiting refund, only if nobody changed them since `before` was read. */
export async function updateWaiting(
  db: Executor,
  before: RefundRecord,
  set: { satisfied: AuthorizationFactor[]; expires_at: number; updated_at: number },
): Promise<boolean> {
  const result = await db
    .updateTable('refunds')
    .set(toColumns(set))
    .where('id', '=', before.id)
    .where('status', '=', 'requires_authorization')
    .where('satisfied', '=', FactorsColumn.write(before.satisfied))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
