import type { Executor } from '../../db/schema.js';
import type { AccountCodePurpose, AccountCodeRow, SecondFactorKind, SecondFactorRow } from './mfa.table.js';

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

function factor(row: SecondFactorRow): SecondFactorRow {
  return { ...row, created_at: Number(row.created_at), confirmed_at: num(row.confirmed_at) };
}

export async function factorsOfUser(db: Executor, userId: string): Promise<SecondFactorRow[]> {
  const rows = await db
    .selectFrom('second_factors')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return rows.map(factor);
}

export async function findFactor(
  db: Executor,
  userId: string,
  kind: SecondFactorKind,
  status: SecondFactorRow['status'],
): Promise<SecondFactorRow | undefined> {
  const row = await db
    .selectFrom('second_factors')
    .selectAll()
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('status', '=', status)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row && factor(row);
}

export async function insertFactor(db: Executor, row: SecondFactorRow): Promise<void> {
  await db.insertInto('second_factors').values(row).execute();
}

/** Drop a user's factors of one kind in one state (a new enrolment replaces an unfinished one). */
export async function deleteFactors(
  db: Executor,
  userId: string,
  kind: SecondFactorKind,
  status: SecondFactorRow['status'],
): Promise<number> {
  const result = await db
    .deleteFrom('second_factors')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('status', '=', status)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Pending → active, once: false when another confirmation won. */
export async function activateFactor(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('second_factors')
    .set({ status: 'active', confirmed_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Record a TOTP step as used: true for exactly one caller per (factor, step), however many arrive at once, because the
 * pair is the primary key. A conflict means the code was already accepted.
 */
export async function useTotpStep(db: Executor, factorId: string, step: number, now: number): Promise<boolean> {
  const result = await db
    .insertInto('totp_used_steps')
    .values({ factor_id: factorId, step, used_at: now })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Steps older than `beforeStep` can never match again (±1 window): forget them. */
export async function forgetOldSteps(db: Executor, factorId: string, beforeStep: number): Promise<void> {
  await db.deleteFrom('totp_used_steps').where('factor_id', '=', factorId).where('step', '<', beforeStep).execute();
}

export async function deleteStepsOfFactor(db: Executor, factorId: string): Promise<void> {
  await db.deleteFrom('totp_used_steps').where('factor_id', '=', factorId).execute();
}

export async function replaceBackupCodes(
  db: Executor,
  userId: string,
  rows: Array<{ id: string; code_hash: string }>,
  now: number,
): Promise<void> {
  await db.deleteFrom('backup_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('backup_codes')
    .values(rows.map((r) => ({ ...r, user_id: userId, created_at: now, used_at: null })))
    .execute();
}

export async function deleteBackupCodes(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('backup_codes').where('user_id', '=', userId).execute();
}

export async function unusedBackupCodes(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('backup_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Use a backup code once: true for exactly one of many parallel callers. */
export async function useBackupCode(db: Executor, userId: string, codeHash: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('backup_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertAccountCode(db: Executor, row: AccountCodeRow): Promise<void> {
  await db.insertInto('account_codes').values(row).execute();
}

/**
 * Codes still usable for this purpose, newest first: those bound to one thing (a pending login, a factor, a user), or
 * all of a person's (a new phone: each is bound to the number it verifies).
 */
export async function liveAccountCodes(
  db: Executor,
  purpose: AccountCodePurpose,
  of: { boundTo: string } | { userId: string },
  now: number,
): Promise<AccountCodeRow[]> {
  const rows = await db
    .selectFrom('account_codes')
    .selectAll()
    .where('purpose', '=', purpose)
    .where((eb) => ('boundTo' in of ? eb('bound_to', '=', of.boundTo) : eb('user_id', '=', of.userId)))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, expires_at: Number(r.expires_at), created_at: Number(r.created_at) }));
}

export async function countAccountCodes(db: Executor, purpose: AccountCodePurpose, boundTo: string): Promise<number> {
  const row = await db
    .selectFrom('account_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('purpose', '=', purpose)
    .where('bound_to', '=', boundTo)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Use a code once, before it expires: true for exactly one of many parallel callers. */
export async function useAccountCode(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('account_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Void every open code of these purposes for a user (a new reset voids the old; a reset voids the rest). */
export async function voidAccountCodes(
  db: Executor,
  userId: string,
  purposes: AccountCodePurpose[],
  now: number,
): Promise<void> {
  await db
    .updateTable('account_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}
