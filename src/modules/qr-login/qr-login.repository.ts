import type { Executor } from '../../db/schema.js';
import type { QrLoginRow, QrLoginStatus } from './qr-login.table.js';

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

function qrLogin(row: QrLoginRow): QrLoginRow {
  return {
    ...row,
    created_at: Number(row.created_at),
    expires_at: Number(row.expires_at),
    decided_at: num(row.decided_at),
    used_at: num(row.used_at),
  };
}

export async function insertQrLogin(db: Executor, row: QrLoginRow): Promise<void> {
  await db.insertInto('qr_logins').values(row).execute();
}

export async function findQrLogin(db: Executor, id: string): Promise<QrLoginRow | undefined> {
  const row = await db.selectFrom('qr_logins').selectAll().where('id', '=', id).executeTakeFirst();
  return row && qrLogin(row);
}

/** pending → approved or denied, once, before it expires: false when another decision won or time ran out. */
export async function decide(
  db: Executor,
  id: string,
  to: Extract<QrLoginStatus, 'approved' | 'denied'>,
  userId: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('qr_logins')
    .set({ status: to, approved_by: to === 'approved' ? userId : null, decided_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** approved → used by the browser it is bound to, once: exactly one of many parallel polls wins. */
export async function collect(
  db: Executor,
  id: string,
  browserHash: string,
  notDecidedBefore: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('qr_logins')
    .set({ status: 'used', used_at: now })
    .where('id', '=', id)
    .where('browser_hash', '=', browserHash)
    .where('status', '=', 'approved')
    .where('decided_at', '>=', notDecidedBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Forget requests long past (a day after they expired): they can never be used again. */
export async function forgetOld(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('qr_logins').where('expires_at', '<', before).execute();
}
