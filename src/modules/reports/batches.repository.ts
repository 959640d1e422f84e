import type { Executor } from '../../db/schema.js';

/** Settlement batches of a merchant with their terminal's store, newest opened first; one more than the page. */
export function listBatches(
  db: Executor,
  s: {
    merchantId: string;
    storeIds: string[] | null;
    limit: number;
    after: { openedAt: number; id: string } | null;
    storeId?: string | undefined;
    terminalId?: string | undefined;
    status?: 'open' | 'closed' | undefined;
  },
) {
  let q = db
    .selectFrom('batches as b')
    .innerJoin('terminals as t', 't.id', 'b.terminal_id')
    .select(['b.id', 'b.terminal_id', 't.store_id', 'b.status', 'b.opened_at', 'b.closed_at', 'b.report'])
    .where('b.merchant_id', '=', s.merchantId);
  if (s.storeIds !== null)
    q = s.storeIds.length > 0 ? q.where('t.store_id', 'in', s.storeIds) : q.where('b.id', '=', '');
  if (s.storeId) q = q.where('t.store_id', '=', s.storeId);
  if (s.terminalId) q = q.where('b.terminal_id', '=', s.terminalId);
  if (s.status) q = q.where('b.status', '=', s.status);
  const after = s.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('b.opened_at', '<', after.openedAt),
        eb.and([eb('b.opened_at', '=', after.openedAt), eb('b.id', '<', after.id)]),
      ]),
    );
  }
  return q
    .orderBy('b.opened_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(s.limit + 1)
    .execute();
}

/** One batch of the merchant with its terminal's store. */
export function findBatch(db: Executor, merchantId: string, id: string) {
  return db
    .selectFrom('batches as b')
    .innerJoin('terminals as t', 't.id', 'b.terminal_id')
    .select(['b.id', 'b.terminal_id', 't.store_id', 'b.status', 'b.opened_at', 'b.closed_at', 'b.report'])
    .where('b.merchant_id', '=', merchantId)
    .where('b.id', '=', id)
    .executeTakeFirst();
}

/** Count and amount of a batch's succeeded sales, for an open batch (a closed one has its report). */
export async function openTotals(db: Executor, batchId: string) {
  const row = await db
    .selectFrom('sales')
    .select((eb) => [eb.fn.countAll().as('count'), eb.fn.sum<number>('amount').as('amount')])
    .where('batch_id', '=', batchId)
    .where('status', '=', 'succeeded')
    .where('voided', '=', 0)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), amount: Number(row?.amount ?? 0) };
}
