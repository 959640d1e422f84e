// The pending login between a right password and the second factor (docs/security.md "Sessions and MFA"): a token
// shown once and kept as an HMAC, alive 5 minutes, used once when the session opens.
import { MINUTE } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId, newSecret } from '../../lib/random.js';
import type { AttemptTicket } from '../attempts/index.js';
import { staffActor, staffEvent } from '../audit/index.js';
import type { StaffUser } from '../staff/index.js';
import * as repo from './auth.repository.js';
import type { AuthContext } from './auth-context.js';
import { PendingLoginErrors } from './pending-login.errors.js';

/** How long the pending login between a right password and the second factor lives. */
export const PENDING_LOGIN_TTL = 5 * MINUTE;

/** The second-factor methods a user may use at sign-in (none: the password alone signs in). */
export type SecondFactorMethod = 'passkey' | 'totp' | 'sms' | 'backup_code';

/** A pending login found by its token: who, and from where the password came. */
export interface PendingLogin {
  id: string;
  userId: string;
  ip: string;
}

/** A pending login for a person whose password was right; the password's attempt is given back in its transaction. */
export async function openPendingLogin(
  ctx: AuthContext,
  user: StaffUser,
  ip: string,
  ticket: AttemptTicket,
  methods: SecondFactorMethod[],
): Promise<{ pendingToken: string; expiresAt: number }> {
  const now = ctx.clock.now();
  const pendingToken = newSecret('rkp', ctx.random);
  const id = newId('pli', ctx.random);
  const expiresAt = now + PENDING_LOGIN_TTL;
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.attempts.succeeded(ticket, trx);
    await repo.insertPendingLogin(trx, {
      id,
      token_hash: ctx.hmac.digest('pending-login', pendingToken),
      user_id: user.id,
      ip,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    });
    const detail = { step: 'password', next: 'second_factor', methods };
    const object = { type: 'pending_login', id };
    await ctx.audit.record(trx, staffEvent(staffActor(user, ip), 'auth.login', { outcome: 'info', object, detail }));
  });
  return { pendingToken, expiresAt };
}

/** The live pending login behind a token; 401 PENDING_LOGIN_INVALID when unknown, used or expired. */
export async function findPendingLogin(ctx: AuthContext, token: string | undefined): Promise<PendingLogin> {
  const row = token ? await repo.findPendingLogin(ctx.db, ctx.hmac.digest('pending-login', token)) : undefined;
  if (!row || row.used_at !== null || row.expires_at <= ctx.clock.now()) {
    throw AppError.from(PendingLoginErrors, 'PENDING_LOGIN_INVALID');
  }
  return { id: row.id, userId: row.user_id, ip: row.ip };
}
