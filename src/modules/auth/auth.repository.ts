import { sql } from 'kysely';
import type { Executor } from '../../db/schema.js';
import type { StaffSessionRow } from './auth.table.js';

export async function insertSession(db: Executor, row: StaffSessionRow): Promise<void> {
  await db.insertInto('staff_sessions').values(row).execute();
}

export function findSessionByToken(db: Executor, tokenHash: string): Promise<StaffSessionRow | undefined> {
  return db.selectFrom('staff_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, at: number): Promise<void> {
  await db.updateTable('staff_sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/** Give the session a new token and CSRF token (re-authentication), recording when. */
export async function rotateSession(
  db: Executor,
  id: string,
  tokenHash: string,
  csrfHash: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ token_hash: tokenHash, csrf_hash: csrfHash, reauth_at: at, last_seen_at: at })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id', '=', id).execute();
}

/** End every session of a user (password reset, account disabled); returns how many ended. */
export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<number> {
  const result = await db.deleteFrom('staff_sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function findCounter(db: Executor, subject: string) {
  return db.selectFrom('attempt_counters').selectAll().where('subject', '=', subject).executeTakeFirst();
}

/**
 * Count one failure in a single statement (both databases run it atomically, so instances share one count):
 * a new window starts when the old one is older than `windowMs`; reaching `limit` sets `locked_until`.
 */
export async function countFailure(
  db: Executor,
  subject: string,
  { now, windowMs, limit, lockMs }: { now: number; windowMs: number; limit: number; lockMs: number },
): Promise<{ failures: number; lockedUntil: number | null }> {
  const windowFloor = now - windowMs;
  const lockedUntil = now + lockMs;
  const { rows } = await sql<{ failures: number | string; locked_until: number | string | null }>`
    insert into attempt_counters (subject, failures, window_start, locked_until)
    values (${subject}, 1, ${now}, ${limit <= 1 ? lockedUntil : null})
    on conflict (subject) do update set
      failures = case when attempt_counters.window_start < ${windowFloor} then 1 else attempt_counters.failures + 1 end,
      window_start = case when attempt_counters.window_start < ${windowFloor} then ${now} else attempt_counters.window_start end,
      locked_until = case
        when attempt_counters.window_start >= ${windowFloor} and attempt_counters.failures + 1 >= ${limit} then ${lockedUntil}
        else attempt_counters.locked_until end
    returning failures, locked_until`.execute(db);
  const row = rows[0];
  return {
    failures: Number(row?.failures ?? 0),
    lockedUntil: row?.locked_until == null ? null : Number(row.locked_until),
  };
}

export async function clearCounter(db: Executor, subject: string): Promise<void> {
  await db.deleteFrom('attempt_counters').where('subject', '=', subject).execute();
}
