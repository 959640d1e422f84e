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
