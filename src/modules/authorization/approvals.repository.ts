import type { Executor } from '../../db/schema.js';
import type { RefundApprovalRow } from './authorization.table.js';

export async function insertApproval(db: Executor, row: RefundApprovalRow): Promise<void> {
  await db.insertInto('refund_approvals').values(row).execute();
}

export function findApproval(
  db: Executor,
  refundId: string,
  merchantId: string,
): Promise<RefundApprovalRow | undefined> {
  return db
    .selectFrom('refund_approvals')
    .selectAll()
    .where('refund_id', '=', refundId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
}

export function pendingApprovals(
  db: Executor,
  merchantId: string,
  now: number,
  limit: number,
): Promise<RefundApprovalRow[]> {
  return db
    .selectFrom('refund_approvals')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .orderBy('requested_at')
    .limit(limit)
    .execute();
}

/** Decide a pending approval once: of concurrent deciders exactly one gets true. */
export async function decide(
  db: Executor,
  input: {
    refundId: string;
    status: 'approved' | 'denied';
    by: string;
    reason: string | null;
    now: number;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('refund_approvals')
    .set({ status: input.status, decided_by: input.by, decided_at: input.now, decision_reason: input.reason })
    .where('refund_id', '=', input.refundId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', input.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Close a refund's approval that nobody decided, because the refund itself ended. */
export async function closeUndecided(db: Executor, refundId: string, now: number): Promise<void> {
  await db
    .updateTable('refund_approvals')
    .set({ status: 'closed', decided_at: now })
    .where('refund_id', '=', refundId)
    .where('status', '=', 'pending')
    .execute();
}

/** Of these refunds, those still waiting for a decision (a refund canceled at the terminal meanwhile is not). */
export async function stillPendingApproval(db: Executor, refundIds: string[]): Promise<Set<string>> {
  if (refundIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('refunds')
    .select('id')
    .where('id', 'in', refundIds)
    .where('status', '=', 'pending_approval')
    .execute();
  return new Set(rows.map((r) => r.id));
}
