import type { Executor } from '../../db/schema.js';
import type { PendingLoginRow, StaffSessionRow } from './auth.table.js';

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

export async function insertPendingLogin(db: Executor, row: PendingLoginRow): Promise<void> {
  await db.insertInto('pending_logins').values(row).execute();
}

export function findPendingLogin(db: Executor, tokenHash: string): Promise<PendingLoginRow | undefined> {
  return db.selectFrom('pending_logins').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Use a pending login once: true for exactly one of many parallel callers, and only before it expires. */
export async function consumePendingLogin(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('pending_logins')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Forget a user's pending logins (a reset, a factor removed). */
export async function deletePendingLoginsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('pending_logins').where('user_id', '=', userId).execute();
}

export function sessionsOfUser(db: Executor, userId: string): Promise<StaffSessionRow[]> {
  return db
    .selectFrom('staff_sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** End one session of a user (never another user's); true when it existed. */
export async function deleteSessionOfUser(db: Executor, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('staff_sessions')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** End every session of a user but one (a password change keeps the session that made it). */
export async function deleteOtherSessionsOfUser(db: Executor, userId: string, keepId: string): Promise<number> {
  const result = await db
    .deleteFrom('staff_sessions')
    .where('user_id', '=', userId)
    .where('id', '!=', keepId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
