// Backup codes: 10 at a time, shown once, kept as HMACs; a new set voids the old one, and each code is accepted once.
import type { Executor } from '../../db/schema.js';
import { newId } from '../../lib/random.js';
import * as repo from './mfa.repository.js';
import type { MfaContext } from './mfa-context.js';

export const BACKUP_CODE_COUNT = 10;
const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A new set of backup codes inside the caller's transaction (a first factor, or a regeneration); shown once. */
export async function newBackupCodes(ctx: MfaContext, trx: Executor, userId: string): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < BACKUP_CODE_COUNT; i++) {
    let raw = '';
    for (let j = 0; j < 10; j++) raw += BACKUP_ALPHABET[ctx.random.int(BACKUP_ALPHABET.length)];
    codes.push(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  await repo.replaceBackupCodes(
    trx,
    userId,
    codes.map((code) => ({
      id: newId('bkc', ctx.random),
      code_hash: backupCodeHash(ctx, userId, code),
    })),
    ctx.clock.now(),
  );
  return codes;
}

/** Use one of the person's backup codes: true for exactly one of many parallel callers. */
export function useBackupCode(ctx: MfaContext, userId: string, code: string): Promise<boolean> {
  return repo.useBackupCode(ctx.db, userId, backupCodeHash(ctx, userId, code), ctx.clock.now());
}

/** Backup codes are typed with or without the dash, in either case. */
function backupCodeHash(ctx: MfaContext, userId: string, code: string): string {
  return ctx.hmac.digest('backup-code', userId, code.toLowerCase().replace(/[^a-z0-9]/g, ''));
}
