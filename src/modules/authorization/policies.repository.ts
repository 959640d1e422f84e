import { sql } from 'kysely';
import type { Executor } from '../../db/schema.js';

export function findPolicy(
  db: Executor,
  storeId: string,
): Promise<{ policy: string; updated_at: number; updated_by: string | null } | undefined> {
  return db
    .selectFrom('refund_policies')
    .select(['policy', 'updated_at', 'updated_by'])
    .where('store_id', '=', storeId)
    .executeTakeFirst();
}

export async function upsertPolicy(
  db: Executor,
  row: { store_id: string; merchant_id: string; policy: string; updated_by: string; updated_at: number },
): Promise<void> {
  await db
    .insertInto('refund_policies')
    .values(row)
    .onConflict((oc) =>
      oc.column('store_id').doUpdateSet({ policy: row.policy, updated_by: row.updated_by, updated_at: row.updated_at }),
    )
    .execute();
}

/**
 * Add one refund of `amount` to a scope's day in one statement, only if the caps still allow it; false when a cap
 * would be passed. Concurrent refunds on several instances therefore never pass a cap together.
 */
export async function addUsage(
  db: Executor,
  input: { scope: string; day: string; amount: number; maxAmount: number | null; maxCount: number | null },
): Promise<boolean> {
  const { maxAmount, maxCount } = input;
  if ((maxAmount !== null && input.amount > maxAmount) || (maxCount !== null && maxCount < 1)) return false;
  const checks = [
    ...(maxAmount !== null ? [sql<boolean>`refund_daily_usage.amount + ${input.amount} <= ${maxAmount}`] : []),
    ...(maxCount !== null ? [sql<boolean>`refund_daily_usage.count + 1 <= ${maxCount}`] : []),
  ];
  const result = await db
    .insertInto('refund_daily_usage')
    .values({ scope: input.scope, day: input.day, amount: input.amount, count: 1 })
    .onConflict((oc) => {
      const update = oc.columns(['scope', 'day']).doUpdateSet({
        amount: sql<number>`refund_daily_usage.amount + ${input.amount}`,
        count: sql<number>`refund_daily_usage.count + 1`,
      });
      return checks.length > 0 ? update.where(sql<boolean>`${sql.join(checks, sql` and `)}`) : update;
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Give back a refund that ended without money moving (canceled, expired, denied). */
export async function subtractUsage(
  db: Executor,
  input: { scope: string; day: string; amount: number },
): Promise<void> {
  await db
    .updateTable('refund_daily_usage')
    .set((eb) => ({ amount: eb('amount', '-', input.amount), count: eb('count', '-', 1) }))
    .where('scope', '=', input.scope)
    .where('day', '=', input.day)
    .execute();
}

export function usageOf(
  db: Executor,
  scope: string,
  day: string,
): Promise<{ amount: number; count: number } | undefined> {
  return db
    .selectFrom('refund_daily_usage')
    .select(['amount', 'count'])
    .where('scope', '=', scope)
    .where('day', '=', day)
    .executeTakeFirst();
}
