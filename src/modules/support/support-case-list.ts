import type { Executor } from '../../db/schema.js';
import type { SupportCaseRow, SupportCheckRow } from './support.table.js';

/** A case as the desk shows it: its row, the merchant's name, its checks, and whether it ran out before approval. */
export interface SupportCase {
  row: SupportCaseRow;
  merchantName: string;
  checks: SupportCheckRow[];
  expired: boolean;
}

/** The states a case is listed by: `checks_recorded` is a case waiting for a second agent's approval. */
export type SupportCaseListStatus = 'open' | 'checks_recorded' | 'approved' | 'expired';

export interface SupportCaseQuery {
  status?: SupportCaseListStatus;
  limit: number;
  /** The position (created_at, id) of the last case of the previous page. */
  after: { createdAt: number; id: string } | null;
}

/**
 * One page of cases, newest first (created_at, then id, both descending), one more than `limit` so the caller knows
 * whether a next page exists. An open or checked case past its expiry is `expired`, not what its row says.
 */
export async function supportCasesPage(db: Executor, now: number, q: SupportCaseQuery): Promise<SupportCase[]> {
  let query = db.selectFrom('support_cases').selectAll();
  if (q.status === 'approved') query = query.where('status', '=', 'approved');
  else if (q.status === 'expired') query = query.where('status', '!=', 'approved').where('expires_at', '<=', now);
  else if (q.status) query = query.where('status', '=', q.status).where('expires_at', '>', now);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return withDetails(db, now, rows);
}

/** Where a case sits in the list, or undefined for an unknown id. */
export async function supportCasePosition(db: Executor, id: string) {
  const row = await db.selectFrom('support_cases').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst();
  return row && { createdAt: row.created_at, id: row.id };
}

/** The cases with their merchants' names and their checks (in the order recorded), two queries for any number. */
export async function withDetails(db: Executor, now: number, rows: SupportCaseRow[]): Promise<SupportCase[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const merchantIds = [...new Set(rows.map((r) => r.merchant_id))];
  const [checks, merchants] = await Promise.all([
    db
      .selectFrom('support_checks')
      .selectAll()
      .where('case_id', 'in', ids)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('merchants').select(['id', 'name']).where('id', 'in', merchantIds).execute(),
  ]);
  const names = new Map(merchants.map((m) => [m.id, m.name]));
  return rows.map((row) => ({
    row,
    merchantName: names.get(row.merchant_id) ?? '',
    checks: checks.filter((c) => c.case_id === row.id),
    expired: row.status !== 'approved' && row.expires_at <= now,
  }));
}
