// A back-office session once open (docs/security.md "Back-office sessions"): a cookie resolved to it under the idle and
// absolute timeouts and, for changes, its CSRF token; the fresh re-authentication some actions need; listing and
// ending sessions.
import type { Executor } from '../../db/schema.js';
import { MINUTE } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { StaffSession } from '../access/index.js';
import { staffEvent } from '../audit/index.js';
import { AuthErrors } from './auth.errors.js';
import * as repo from './auth.repository.js';
import type { StaffSessionRow } from './auth.table.js';
import type { AuthContext } from './auth-context.js';
import { toSession } from './session-opening.js';

export const IDLE_TIMEOUT = 15 * MINUTE;
export const REAUTH_MAX_AGE = 5 * MINUTE;

/** What a request carries to be resolved to a session, and whether it changes something (then CSRF is checked). */
export interface SessionCredentials {
  token: string | undefined;
  csrfToken: string | undefined;
  checkCsrf: boolean;
  ip: string;
}

/** The session behind a cookie token, with the timeouts and, when asked, its CSRF token; each use moves the idle deadline. */
export async function authenticate(
  ctx: AuthContext,
  { token, csrfToken, checkCsrf, ip }: SessionCredentials,
): Promise<StaffSession> {
  if (!token) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
  const row = await repo.findSessionByToken(ctx.db, ctx.hmac.digest('staff-session', token));
  if (!row) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
  const now = ctx.clock.now();
  if (now - row.last_seen_at > IDLE_TIMEOUT || now >= row.expires_at) {
    await repo.deleteSession(ctx.db, row.id);
    throw AppError.from(AuthErrors, 'SESSION_EXPIRED');
  }
  if (checkCsrf && !(csrfToken && ctx.hmac.matches(row.csrf_hash, 'staff-csrf', csrfToken))) {
    throw AppError.from(AuthErrors, 'CSRF_INVALID');
  }
  const user = await ctx.staff.getUser(row.user_id);
  if (!user) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
  await repo.touchSession(ctx.db, row.id, now);
  return toSession(row, user, ip);
}

/** Throw REAUTH_REQUIRED unless the session re-authenticated (or logged in) at most 5 minutes ago. */
export function requireFreshAuth(ctx: AuthContext, staff: StaffSession): void {
  if (staff.reauthAt === null || ctx.clock.now() - staff.reauthAt > REAUTH_MAX_AGE) {
    throw AppError.from(AuthErrors, 'REAUTH_REQUIRED', { max_age_s: REAUTH_MAX_AGE / 1000 });
  }
}

/** The live sessions of a user, newest first. */
export async function sessionsOf(ctx: AuthContext, userId: string): Promise<StaffSessionRow[]> {
  const now = ctx.clock.now();
  const rows = await repo.sessionsOfUser(ctx.db, userId);
  return rows.filter((r) => now - Number(r.last_seen_at) <= IDLE_TIMEOUT && now < Number(r.expires_at));
}

/** End the caller's session on the server; the cookie is then worthless. */
export async function logout(ctx: AuthContext, staff: StaffSession): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, staff.sessionId);
    await ctx.audit.record(trx, loggedOut(staff, staff.sessionId));
  });
}

/** End one of the caller's own sessions; false when the caller has no such session. */
export async function endOwnSession(ctx: AuthContext, staff: StaffSession, sessionId: string): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const ended = await repo.deleteSessionOfUser(trx, staff.userId, sessionId);
    if (ended) await ctx.audit.record(trx, loggedOut(staff, sessionId));
    return ended;
  });
}

/** End all sessions of a user (a reset ends every session), audited as the system's doing, for `reason`. */
export async function endAllSessions(
  ctx: AuthContext,
  userId: string,
  reason: string,
  executor: Executor,
): Promise<number> {
  const ended = await repo.deleteSessionsOfUser(executor, userId);
  await ctx.audit.record(executor === ctx.db ? undefined : executor, {
    actor: { type: 'system' },
    event: 'auth.sessions_ended',
    outcome: 'info',
    object: { type: 'user', id: userId },
    detail: { reason, ended },
  });
  return ended;
}

/** The audit entry of a person ending one of their sessions (the one they use, or another of theirs). */
function loggedOut(staff: StaffSession, sessionId: string) {
  return staffEvent(staff, 'auth.logout', { object: { type: 'session', id: sessionId } });
}
