import type { Executor } from '../../db/schema.js';
import { type RefundCode, SentToColumn } from './authorization.table.js';

// The masked destinations are stored as JSON and become a list here, and only here.

export async function insertCode(db: Executor, code: RefundCode): Promise<void> {
  await db
    .insertInto('refund_codes')
    .values({ ...code, sent_to: SentToColumn.write(code.sent_to) })
    .execute();
}

/** The code now in force for a refund (the newest one not replaced by a resend). */
export async function currentCode(db: Executor, refundId: string): Promise<RefundCode | undefined> {
  const row = await db
    .selectFrom('refund_codes')
    .selectAll()
    .where('refund_id', '=', refundId)
    .where('superseded_at', 'is', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { ...row, sent_to: SentToColumn.read(row.sent_to) };
}

export async function supersede(db: Executor, refundId: string, now: number): Promise<void> {
  await db
    .updateTable('refund_codes')
    .set({ superseded_at: now })
    .where('refund_id', '=', refundId)
    .where('superseded_at', 'is', null)
    .execute();
}

/** Use a code once: of any number of concurrent callers exactly one gets true (ASVS 5.0 6.5.1). */
export async function consume(db: Executor, codeId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('refund_codes')
    .set({ used_at: now })
    .where('id', '=', codeId)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
