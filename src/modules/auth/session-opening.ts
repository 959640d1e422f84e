// Opening a back-office session (after a password, a second factor, or an approval given elsewhere) and renewing its
// secrets at re-authentication: a new cookie token and CSRF token, shown once and kept as HMACs, audited in the same
// transaction as the change.
import type { Executor } from '../../db/schema.js';
import { HOUR } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId, newSecret } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import type { AttemptTicket } from '../attempts/index.js';
import { staffActor, staffEvent } from '../audit/index.js';
import type { StaffUser } from '../staff/index.js';
import { AuthErrors } from './auth.errors.js';
import * as repo from './auth.repository.js';
import type { StaffSessionRow } from './auth.table.js';
import type { AuthContext } from './auth-context.js';
import { PendingLoginErrors } from './pending-login.errors.js';
import type { SecondFactorMethod } from './pending-logins.js';

/** A session ends 12 hours after login however active it is (docs/security.md "Back-office sessions"). */
export const ABSOLUTE_TIMEOUT = 12 * HOUR;

/** What a browser receives at login or re-authentication: the cookie token and its CSRF token, shown once. */
export interface IssuedSession {
  session: StaffSession;
  user: StaffUser;
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/** How a session is opened when no password was checked just now: a pending login's second factor, or an approval. */
export interface OpenedBy {
  secondFactor?: { pendingId: string; method: SecondFactorMethod };
  approved?: {
    via: { kind: string; id: string };
    consume: (trx: Executor) => Promise<boolean>;
    refused: () => AppError;
  };
}

/** A new session for a user whose credentials were checked: inside one transaction with its audit entry. */
export async function openSession(
  ctx: AuthContext,
  user: StaffUser,
  ip: string,
  ticket: AttemptTicket | undefined,
  { secondFactor, approved }: OpenedBy = {},
): Promise<IssuedSession> {
  const now = ctx.clock.now();
  const secrets = newSessionSecrets(ctx);
  const row: StaffSessionRow = {
    id: newId('ses', ctx.random),
    token_hash: secrets.tokenHash,
    csrf_hash: secrets.csrfHash,
    user_id: user.id,
    ip,
    created_at: now,
    last_seen_at: now,
    reauth_at: now,
    expires_at: now + ABSOLUTE_TIMEOUT,
  };
  const session = toSession(row, user, ip);
  const detail = approved
    ? { approved_via: approved.via.kind, [`${approved.via.kind}_id`]: approved.via.id }
    : secondFactor && { second_factor: secondFactor.method };
  await ctx.db.transaction().execute(async (trx) => {
    if (ticket) await ctx.attempts.succeeded(ticket, trx);
    if (secondFactor && !(await repo.consumePendingLogin(trx, secondFactor.pendingId, now))) {
      throw AppError.from(PendingLoginErrors, 'PENDING_LOGIN_INVALID');
    }
    if (approved && !(await approved.consume(trx))) throw approved.refused();
    await repo.insertSession(trx, row);
    await ctx.audit.record(trx, staffEvent(session, 'auth.login', { object: { type: 'session', id: row.id }, detail }));
  });
  return { session, user, token: secrets.token, csrfToken: secrets.csrfToken, expiresAt: row.expires_at };
}

/** After a re-authentication (`ticket` given back when it was a password): the session gets a new id and CSRF token. */
export async function renewSession(
  ctx: AuthContext,
  staff: StaffSession,
  user: StaffUser,
  ticket: AttemptTicket | undefined,
  method: 'password' | 'passkey',
): Promise<IssuedSession> {
  const now = ctx.clock.now();
  const secrets = newSessionSecrets(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    if (ticket) await ctx.attempts.succeeded(ticket, trx);
    await repo.rotateSession(trx, staff.sessionId, secrets.tokenHash, secrets.csrfHash, now);
    const object = { type: 'session', id: staff.sessionId };
    const detail = method === 'password' ? undefined : { method };
    await ctx.audit.record(trx, staffEvent(staffActor(user, staff.ip), 'auth.reauth', { object, detail }));
  });
  const row = await repo.findSessionByToken(ctx.db, secrets.tokenHash);
  if (!row) throw AppError.from(AuthErrors, 'SESSION_EXPIRED');
  const session = toSession(row, user, staff.ip);
  return { session, user, token: secrets.token, csrfToken: secrets.csrfToken, expiresAt: row.expires_at };
}

/** A session row as the request context sees it, for the person it belongs to. */
export function toSession(row: StaffSessionRow, user: StaffUser, ip: string): StaffSession {
  return {
    sessionId: row.id,
    userId: user.id,
    merchantId: user.merchantId,
    role: user.role,
    storeIds: user.storeIds,
    reauthAt: row.reauth_at,
    ip,
  };
}

/** A new cookie token and CSRF token, and the HMACs the database keeps of them. */
function newSessionSecrets(ctx: AuthContext) {
  const token = newSecret('rks', ctx.random);
  const csrfToken = newSecret('csrf', ctx.random);
  return {
    token,
    csrfToken,
    tokenHash: ctx.hmac.digest('staff-session', token),
    csrfHash: ctx.hmac.digest('staff-csrf', csrfToken),
  };
}
