import { sql } from 'kysely';
import type { Executor } from '../../db/schema.js';
import type { AttemptLimitRow } from './attempts.table.js';

const num = (v: number | string | bigint): number => Number(v);

/**
 * Claim one attempt in a single conditional upsert: refused (undefined) while the scope is locked or `limit` attempts
 * are already counted in its current run or window. Both databases run it atomically, so every instance shares it.
 * Returns the count after the claim (this attempt's ordinal in the run).
 */
export async function claim(
  db: Executor,
  input: { scope: string; merchantId: string | null; limit: number; windowFloor: number; now: number },
): Promise<number | undefined> {
  const { scope, merchantId, limit, windowFloor, now } = input;
  const { rows } = await sql<{ count: number | string }>`
    insert into attempt_limits (scope, merchant_id, count, pending, window_start, locked_until, updated_at)
    values (${scope}, ${merchantId}, 1, 1, ${now}, 0, ${now})
    on conflict (scope) do update set
      count = case when attempt_limits.window_start <= ${windowFloor} then 1 else attempt_limits.count + 1 end,
      pending = case when attempt_limits.window_start <= ${windowFloor} then 1 else attempt_limits.pending + 1 end,
      window_start = case when attempt_limits.window_start <= ${windowFloor} then ${now} else attempt_limits.window_start end,
      updated_at = ${now}
    where attempt_limits.locked_until <= ${now}
      and (attempt_limits.count < ${limit} or attempt_limits.window_start <= ${windowFloor})
    returning count`.execute(db);
  const row = rows[0];
  return row === undefined ? undefined : num(row.count);
}

/** Give back a claim whose attempt was never verified (another scope of the same attempt refused it). */
export async function giveBack(db: Executor, scope: string, now: number): Promise<void> {
  await sql`
    update attempt_limits set
      count = case when count > 0 then count - 1 else 0 end,
      pending = case when pending > 0 then pending - 1 else 0 end,
      updated_at = ${now}
    where scope = ${scope}`.execute(db);
}

/**
 * A verified success. With `clears`, it ends the run, unless other claims are still being verified (a burst): then,
 * like a windowed rule, it only gives back its own claim, so a burst never gets more verifications than the limit.
 */
export async function settleSuccess(db: Executor, scope: string, clears: boolean, now: number): Promise<void> {
  const count = clears
    ? sql`case when pending <= 1 then 0 when count > 0 then count - 1 else 0 end`
    : sql`case when count > 0 then count - 1 else 0 end`;
  await sql`
    update attempt_limits set
      count = ${count},
      pending = case when pending > 0 then pending - 1 else 0 end,
      updated_at = ${now}
    where scope = ${scope}`.execute(db);
}

/**
 * A verified failure: the claim stays counted. The first failure that finds the run at its limit locks the scope until
 * `lockUntil` and starts a new run; true when this call locked it.
 */
export async function settleFailure(
  db: Executor,
  input: { scope: string; limit: number; windowFloor: number; lockUntil: number; now: number },
): Promise<boolean> {
  const { scope, limit, windowFloor, lockUntil, now } = input;
  const locked = await sql<{ scope: string }>`
    update attempt_limits set locked_until = ${lockUntil}, count = 0, window_start = ${now}, updated_at = ${now}
    where scope = ${scope} and count >= ${limit} and locked_until <= ${now} and window_start > ${windowFloor}
    returning scope`.execute(db);
  await sql`
    update attempt_limits set pending = case when pending > 0 then pending - 1 else 0 end, updated_at = ${now}
    where scope = ${scope}`.execute(db);
  return locked.rows.length > 0;
}

/** Lock a scope found at its limit whose claims were never settled (their process died). */
export async function lockStale(db: Executor, scope: string, lockUntil: number, now: number): Promise<void> {
  await db
    .updateTable('attempt_limits')
    .set({ locked_until: lockUntil, count: 0, pending: 0, window_start: now, updated_at: now })
    .where('scope', '=', scope)
    .where('locked_until', '<=', now)
    .execute();
}

export async function find(db: Executor, scope: string): Promise<AttemptLimitRow | undefined> {
  const row = await db.selectFrom('attempt_limits').selectAll().where('scope', '=', scope).executeTakeFirst();
  return row && normalise(row);
}

export async function findMany(db: Executor, scopes: string[]): Promise<AttemptLimitRow[]> {
  if (scopes.length === 0) return [];
  const rows = await db.selectFrom('attempt_limits').selectAll().where('scope', 'in', scopes).execute();
  return rows.map(normalise);
}

/** End a lock now and start a new run; true when the scope existed for this merchant. */
export async function unlock(db: Executor, scope: string, merchantId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('attempt_limits')
    .set({ locked_until: 0, count: 0, pending: 0, window_start: now, updated_at: now })
    .where('scope', '=', scope)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** End the locks of every scope that starts with `prefix` for this merchant; how many there were. */
export async function unlockPrefix(db: Executor, prefix: string, merchantId: string, now: number): Promise<number> {
  const result = await sql`
    update attempt_limits set locked_until = 0, count = 0, pending = 0, window_start = ${now}, updated_at = ${now}
    where substr(scope, 1, ${prefix.length}) = ${prefix} and merchant_id = ${merchantId}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

function normalise(row: AttemptLimitRow): AttemptLimitRow {
  return {
    ...row,
    count: num(row.count),
    pending: num(row.pending),
    window_start: num(row.window_start),
    locked_until: num(row.locked_until),
    updated_at: num(row.updated_at),
  };
}
