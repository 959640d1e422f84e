import { sql } from 'kysely';
import type { Executor } from '../../db/schema.js';
import type { RefundLockoutRow } from './authorization.table.js';

export const terminalScope = (terminalId: string): string => `terminal:${terminalId}`;
export const merchantScope = (merchantId: string): string => `merchant:${merchantId}`;

/** The lock rows of a terminal and its merchant that are locked at `now`. */
export function activeLocks(db: Executor, scopes: string[], now: number): Promise<RefundLockoutRow[]> {
  return db
    .selectFrom('refund_lockouts')
    .selectAll()
    .where('scope', 'in', scopes)
    .where('locked_until', '>', now)
    .execute();
}

/**
 * Count one more consecutive wrong key for a terminal in one statement; at `limit` the terminal locks until
 * `lockUntil` and the count starts again. Returns the row after the update.
 */
export async function countTerminalFailure(
  db: Executor,
  input: { scope: string; merchantId: string; limit: number; now: number; lockUntil: number },
): Promise<RefundLockoutRow> {
  const next = sql<number>`refund_lockouts.consecutive_failures + 1`;
  return db
    .insertInto('refund_lockouts')
    .values({
      scope: input.scope,
      merchant_id: input.merchantId,
      consecutive_failures: 1,
      locked_until: 0,
      reset_at: 0,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc.column('scope').doUpdateSet({
        consecutive_failures: sql<number>`case when ${next} >= ${input.limit} then 0 else ${next} end`,
        locked_until: sql<number>`case when ${next} >= ${input.limit} then ${input.lockUntil} else refund_lockouts.locked_until end`,
        updated_at: input.now,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Touch (and so lock, until the transaction ends) the merchant's row, creating it if needed. */
export async function touchMerchantRow(
  db: Executor,
  scope: string,
  merchantId: string,
  now: number,
): Promise<RefundLockoutRow> {
  return db
    .insertInto('refund_lockouts')
    .values({ scope, merchant_id: merchantId, consecutive_failures: 0, locked_until: 0, reset_at: 0, updated_at: now })
    .onConflict((oc) => oc.column('scope').doUpdateSet({ updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertFailure(
  db: Executor,
  row: {
    id: string;
    merchant_id: string;
    terminal_id: string;
    refund_id: string;
    kind: 'refund_key' | 'one_time_code';
    at: number;
  },
): Promise<void> {
  await db.insertInto('refund_auth_failures').values(row).execute();
}

export async function countFailuresSince(db: Executor, merchantId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('refund_auth_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function lockScope(db: Executor, scope: string, until: number, now: number): Promise<void> {
  await db
    .updateTable('refund_lockouts')
    .set({ locked_until: until, reset_at: now, updated_at: now })
    .where('scope', '=', scope)
    .execute();
}

export async function resetConsecutive(db: Executor, scope: string, now: number): Promise<void> {
  await db
    .updateTable('refund_lockouts')
    .set({ consecutive_failures: 0, updated_at: now })
    .where('scope', '=', scope)
    .where('consecutive_failures', '>', 0)
    .execute();
}

/** End a lock now; failures before now stop counting. True when there was a lock row of this merchant. */
export async function unlock(db: Executor, scope: string, merchantId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('refund_lockouts')
    .set({ locked_until: 0, consecutive_failures: 0, reset_at: now, updated_at: now })
    .where('scope', '=', scope)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
