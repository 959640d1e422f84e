import type { Executor } from '../../db/schema.js';
import type { NewNotificationRecipient, NotificationRecipientRow } from './recipients.table.js';

/** The merchant's recipients, oldest first. */
export function listOfMerchant(db: Executor, merchantId: string): Promise<NotificationRecipientRow[]> {
  return db
    .selectFrom('notification_recipients')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The merchant's verified recipients: the only ones messages go to. */
export function verifiedOfMerchant(db: Executor, merchantId: string): Promise<NotificationRecipientRow[]> {
  return db
    .selectFrom('notification_recipients')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'verified')
    .orderBy('created_at')
    .execute();
}

/** One recipient of this merchant (another merchant's is not found). */
export function findOfMerchant(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<NotificationRecipientRow | undefined> {
  return db
    .selectFrom('notification_recipients')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
}

export async function countOfMerchant(db: Executor, merchantId: string): Promise<number> {
  const row = await db
    .selectFrom('notification_recipients')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insert(db: Executor, row: NewNotificationRecipient): Promise<void> {
  await db.insertInto('notification_recipients').values(row).execute();
}

/**
 * A new code for a pending recipient, if fewer than `maxCodes` were sent: one conditional statement, so parallel
 * resends cannot exceed the limit. The wrong-code count is kept. True when the code was stored.
 */
export async function replaceCode(
  db: Executor,
  id: string,
  code: { hash: string; expiresAt: number },
  maxCodes: number,
): Promise<boolean> {
  const result = await db
    .updateTable('notification_recipients')
    .set((eb) => ({
      code_hash: code.hash,
      code_expires_at: code.expiresAt,
      codes_sent: eb('codes_sent', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('codes_sent', '<', maxCodes)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Claim one guess before the code is checked: refused (false) once `maxAttempts` wrong guesses were made, the code
 * expired or the recipient is verified. A burst of guesses gets no more checks than the limit.
 */
export async function claimGuess(db: Executor, id: string, now: number, maxAttempts: number): Promise<boolean> {
  const result = await db
    .updateTable('notification_recipients')
    .set((eb) => ({ code_attempts: eb('code_attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('code_attempts', '<', maxAttempts)
    .where('code_expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A right guess: verified once (of parallel right guesses one wins); its claim is given back. */
export async function markVerified(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('notification_recipients')
    .set((eb) => ({
      status: 'verified',
      verified_at: now,
      code_hash: null,
      code_expires_at: null,
      code_attempts: eb('code_attempts', '-', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function remove(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('notification_recipients').where('id', '=', id).execute();
}
