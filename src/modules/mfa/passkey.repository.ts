import type { Executor } from '../../db/schema.js';
import type { PasskeyRow, WebauthnChallengePurpose } from './passkey.table.js';

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

function passkey(row: PasskeyRow): PasskeyRow {
  return {
    ...row,
    counter: Number(row.counter),
    created_at: Number(row.created_at),
    last_used_at: num(row.last_used_at),
  };
}

export async function passkeysOfUser(db: Executor, userId: string): Promise<PasskeyRow[]> {
  const rows = await db
    .selectFrom('passkeys')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(passkey);
}

export async function countPasskeys(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The user's passkey with this credential id; another person's credential is not found. */
export async function findPasskeyOfUser(
  db: Executor,
  userId: string,
  credentialId: string,
): Promise<PasskeyRow | undefined> {
  const row = await db
    .selectFrom('passkeys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return row && passkey(row);
}

export async function insertPasskey(db: Executor, row: PasskeyRow): Promise<void> {
  await db.insertInto('passkeys').values(row).execute();
}

export async function credentialIdTaken(db: Executor, credentialId: string): Promise<boolean> {
  return (
    (await db.selectFrom('passkeys').select('id').where('credential_id', '=', credentialId).executeTakeFirst()) !==
    undefined
  );
}

/** Remove one of the user's passkeys: false when the user has none with this id. */
export async function deletePasskey(db: Executor, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('passkeys').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deletePasskeysOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('passkeys').where('user_id', '=', userId).execute();
}

/**
 * Move the sign counter on, only from the value the check was made against: of two assertions racing with the same
 * counter, one wins.
 */
export async function advanceCounter(
  db: Executor,
  id: string,
  from: number,
  to: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('passkeys')
    .set({ counter: to, last_used_at: now })
    .where('id', '=', id)
    .where('counter', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertChallenge(
  db: Executor,
  row: {
    id: string;
    user_id: string;
    purpose: WebauthnChallengePurpose;
    bound_to: string;
    challenge_hash: string;
    created_at: number;
    expires_at: number;
  },
): Promise<void> {
  await db
    .insertInto('webauthn_challenges')
    .values({ ...row, used_at: null })
    .execute();
}

/** Use a challenge once, before it expires, for what it was asked for: true for exactly one of many parallel callers. */
export async function useChallenge(
  db: Executor,
  where: { userId: string; purpose: WebauthnChallengePurpose; boundTo: string; challengeHash: string },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webauthn_challenges')
    .set({ used_at: now })
    .where('challenge_hash', '=', where.challengeHash)
    .where('user_id', '=', where.userId)
    .where('purpose', '=', where.purpose)
    .where('bound_to', '=', where.boundTo)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Forget challenges that can no longer be used (expired before `before`). */
export async function forgetOldChallenges(db: Executor, userId: string, before: number): Promise<void> {
  await db.deleteFrom('webauthn_challenges').where('user_id', '=', userId).where('expires_at', '<', before).execute();
}
