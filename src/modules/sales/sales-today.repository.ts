import type { Executor } from '../../db/schema.js';
import type { SaleRow } from './sales.table.js';

/**
 * One page of a terminal's sales created in [from, to), newest first, after the position (created_at, id) of
 * `starting_after`; one row more than `limit`, so the caller knows whether there is a next page.
 */
export function terminalSalesBetween(
  db: Executor,
  q: {
    merchantId: string;
    terminalId: string;
    from: number;
    to: number;
    limit: number;
    after: { createdAt: number; id: string } | null;
  },
): Promise<SaleRow[]> {
  let query = db
    .selectFrom('sales')
    .selectAll()
    .where('merchant_id', '=', q.merchantId)
    .where('terminal_id', '=', q.terminalId)
    .where('created_at', '>=', q.from)
    .where('created_at', '<', q.to);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
}

/** Where a sale of this terminal sits in its list, or undefined for another terminal's or an unknown id. */
export async function terminalSalePosition(
  db: Executor,
  terminal: { merchantId: string; terminalId: string },
  id: string,
): Promise<{ createdAt: number; id: string } | undefined> {
  const row = await db
    .selectFrom('sales')
    .select(['id', 'created_at'])
    .where('id', '=', id)
    .where('merchant_id', '=', terminal.merchantId)
    .where('terminal_id', '=', terminal.terminalId)
    .executeTakeFirst();
  return row && { createdAt: Number(row.created_at), id: row.id };
}
