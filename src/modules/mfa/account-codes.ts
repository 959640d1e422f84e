// One-time account codes (second-factor SMS codes, a new phone's code, password-reset codes and tokens): kept as an
// HMAC bound to their purpose and to what they were sent for, matched in constant time, used once.
import type { Executor } from '../../db/schema.js';
import { newId } from '../../lib/random.js';
import * as repo from './mfa.repository.js';
import type { AccountCodePurpose, AccountCodeRow } from './mfa.table.js';
import type { MfaContext } from './mfa-context.js';

/** What a new code is: its secret, for whom, what for, until when. */
export interface NewAccountCode {
  userId: string;
  purpose: AccountCodePurpose;
  boundTo: string;
  secret: string;
  expiresAt: number;
}

/**
 * Store a new code inside the caller's transaction; the person's open codes of the purposes in `voids` stop working
 * first (a new code voids the one before it).
 */
export async function storeAccountCode(
  ctx: MfaContext,
  trx: Executor,
  code: NewAccountCode,
  voids: AccountCodePurpose[],
  now: number,
): Promise<void> {
  await repo.voidAccountCodes(trx, code.userId, voids, now);
  await repo.insertAccountCode(trx, {
    id: newId('acd', ctx.random),
    user_id: code.userId,
    purpose: code.purpose,
    bound_to: code.boundTo,
    code_hash: ctx.hmac.digest('account-code', code.purpose, code.boundTo, code.secret),
    expires_at: code.expiresAt,
    used_at: null,
    created_at: now,
  });
}

/** True when `candidate` (already trimmed) is the secret of this stored code. */
export function isCodeOf(ctx: MfaContext, row: AccountCodeRow, candidate: string): boolean {
  return ctx.hmac.matches(row.code_hash, 'account-code', row.purpose, row.bound_to, candidate);
}

/** The id of the live code of `purpose` for `boundTo` that `secret` is, without using it up (undefined: none). */
export async function findAccountCode(
  ctx: MfaContext,
  purpose: AccountCodePurpose,
  boundTo: string,
  secret: string,
  now: number,
): Promise<string | undefined> {
  const candidate = secret.trim();
  for (const row of await repo.liveAccountCodes(ctx.db, purpose, { boundTo }, now)) {
    if (isCodeOf(ctx, row, candidate)) return row.id;
  }
  return undefined;
}
