// The login lockout (docs/security.md "Attempt limits"): every password check, at sign-in or re-authentication, is
// claimed against its login id's counter before the password is verified; a wrong one stays counted and may lock it.
import { AppError } from '../../lib/errors.js';
import { type AttemptSubject, type AttemptTicket, LOGIN_PER_ID } from '../attempts/index.js';
import { AuthErrors } from './auth.errors.js';
import type { AuthContext } from './auth-context.js';

/** Where a password is checked, for its audit entries: the event, the address, and who when that is known. */
export interface PasswordCheck {
  event: string;
  origin: string;
  actorId: string | null;
  merchantId: string | null;
}

/** Count the check before the password is verified; a refused claim is audited and answered 423 LOGIN_LOCKED. */
export async function claimPasswordCheck(
  ctx: AuthContext,
  login: string,
  where: PasswordCheck,
): Promise<AttemptTicket> {
  const claim = await ctx.attempts.claim([loginSubject(ctx, login)]);
  if (claim.ok) return claim.ticket;
  await ctx.audit.record(undefined, {
    merchantId: where.merchantId,
    actor: actorOf(where),
    event: where.event,
    outcome: 'failure',
    origin: where.origin,
    detail: { reason: 'locked' },
  });
  throw AppError.from(AuthErrors, 'LOGIN_LOCKED', {
    retry_after_s: claim.retryAfterS ?? Math.ceil((LOGIN_PER_ID.lockMs ?? 0) / 1000),
  });
}

/** A wrong password: it stays counted and is audited, and so is the lock when this one locked the login id. */
export async function countWrongPassword(ctx: AuthContext, ticket: AttemptTicket, where: PasswordCheck): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const lockedNow = await ctx.attempts.failed(ticket, trx);
    const actor = actorOf(where);
    await ctx.audit.record(trx, {
      merchantId: where.merchantId,
      actor,
      event: where.event,
      outcome: 'failure',
      origin: where.origin,
      detail: { reason: 'bad_credentials', attempt: ticket.claims[0]?.ordinal ?? null },
    });
    if (lockedNow.length > 0) {
      await ctx.audit.record(trx, {
        merchantId: where.merchantId,
        actor,
        event: 'auth.lockout',
        outcome: 'info',
        origin: where.origin,
        detail: { until: ctx.clock.now() + (LOGIN_PER_ID.lockMs ?? 0), scope: 'login' },
      });
    }
  });
}

/** The counter of a login id: kept under an HMAC of the id as typed, trimmed and in lower case. */
function loginSubject(ctx: AuthContext, login: string): AttemptSubject {
  return {
    rule: LOGIN_PER_ID,
    subject: ctx.hmac.digest('login-attempts', login.trim().toLowerCase()),
    merchantId: null,
  };
}

function actorOf(where: PasswordCheck) {
  return where.actorId ? { type: 'user' as const, id: where.actorId } : { type: 'anonymous' as const };
}
