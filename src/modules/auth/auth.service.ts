import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { type Hmac, verifySecret } from '../../lib/hashing.js';
import { cryptoRandom, type RandomSource } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import type { AttemptLimiter } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import { AuthErrors } from './auth.errors.js';
import * as repo from './auth.repository.js';
import type { StaffSessionRow } from './auth.table.js';
import type { AuthContext } from './auth-context.js';
import { claimPasswordCheck, countWrongPassword, type PasswordCheck } from './login-lockout.js';
import { PendingLoginErrors } from './pending-login.errors.js';
import { findPendingLogin, openPendingLogin, type PendingLogin, type SecondFactorMethod } from './pending-logins.js';
import { type IssuedSession, openSession, renewSession } from './session-opening.js';
import * as sessions from './sessions.js';

/** Handed in by the composition root: the factors module stands above this one. */
export type SecondFactorsOf = (userId: string) => Promise<SecondFactorMethod[]>;

/** The answer of the password step: signed in, or a pending login waiting for the second factor. */
export type LoginOutcome =
  | { status: 'signed_in'; issued: IssuedSession }
  | {
      status: 'second_factor_required';
      methods: SecondFactorMethod[];
      pendingToken: string;
      expiresAt: number;
      userId: string;
    };

/**
 * Back-office sessions: login with lockout, re-authentication, logout, and resolving a cookie to a session. This class
 * is what the rest of the app holds; it decides how a sign-in goes and hands the parts to the files that own them: the
 * lockout (login-lockout.ts), pending logins (pending-logins.ts), opening a session (session-opening.ts) and a session
 * once open (sessions.ts).
 */
export class AuthService {
  private readonly ctx: AuthContext;

  constructor(
    db: Kysely<DB>,
    clock: Clock,
    hmac: Hmac,
    staff: StaffService,
    audit: AuditService,
    attempts: AttemptLimiter,
    random: RandomSource = cryptoRandom,
    private readonly secondFactorsOf: SecondFactorsOf = async () => [],
  ) {
    this.ctx = { db, clock, hmac, staff, audit, attempts, random };
  }

  /**
   * Sign in with a login id and password; the same answer and about the same time whether or not the id exists. A user
   * with a second factor gets no session yet, only a pending login that POST /v1/auth/second-factor completes.
   */
  async signIn(login: string, password: string, ip: string): Promise<LoginOutcome> {
    const where: PasswordCheck = { event: 'auth.login', origin: ip, actorId: null, merchantId: null };
    const ticket = await claimPasswordCheck(this.ctx, login, where);
    const user = await this.ctx.attempts.verifying(ticket, () => this.ctx.staff.verifyLogin(login, password));
    if (!user) {
      await countWrongPassword(this.ctx, ticket, where);
      throw AppError.from(AuthErrors, 'LOGIN_FAILED');
    }
    const methods = await this.secondFactorsOf(user.id);
    if (methods.length === 0) return { status: 'signed_in', issued: await openSession(this.ctx, user, ip, ticket) };
    const { pendingToken, expiresAt } = await openPendingLogin(this.ctx, user, ip, ticket, methods);
    return { status: 'second_factor_required', methods, pendingToken, expiresAt, userId: user.id };
  }

  /** Sign in where no second factor can be asked for (an invitation just accepted): refused if the user has one. */
  async login(login: string, password: string, ip: string): Promise<IssuedSession> {
    const outcome = await this.signIn(login, password, ip);
    if (outcome.status !== 'signed_in') throw AppError.from(PendingLoginErrors, 'SECOND_FACTOR_REQUIRED');
    return outcome.issued;
  }

  /** The live pending login behind a token; 401 PENDING_LOGIN_INVALID when unknown, used or expired. */
  pendingLogin(token: string | undefined): Promise<PendingLogin> {
    return findPendingLogin(this.ctx, token);
  }

  /** The second factor was right: use the pending login once and open the session. */
  async completePendingLogin(pending: PendingLogin, ip: string, method: SecondFactorMethod): Promise<IssuedSession> {
    const user = await this.ctx.staff.getUser(pending.userId);
    if (user?.status !== 'active') throw AppError.from(PendingLoginErrors, 'PENDING_LOGIN_INVALID');
    return openSession(this.ctx, user, ip, undefined, { secondFactor: { pendingId: pending.id, method } });
  }

  /**
   * A session for a person who approved it elsewhere (a QR login approved on their phone with a second factor):
   * `consume` uses up what was approved in the same transaction, and the session is only opened if it returns true.
   */
  async issueApproved(
    user: StaffUser,
    ip: string,
    via: { kind: string; id: string },
    consume: (trx: Executor) => Promise<boolean>,
    refused: () => AppError,
  ): Promise<IssuedSession> {
    if (user.status !== 'active') throw refused();
    return openSession(this.ctx, user, ip, undefined, { approved: { via, consume, refused } });
  }

  /** The session behind a cookie token, with the idle and absolute timeouts and, for changes, its CSRF token. */
  authenticate(credentials: sessions.SessionCredentials): Promise<StaffSession> {
    return sessions.authenticate(this.ctx, credentials);
  }

  /** Re-enter the password: counts toward the login lockout, and on success gives the session a new id and CSRF token. */
  async reauthenticate(staff: StaffSession, password: string): Promise<IssuedSession> {
    const user = await this.ctx.staff.getUser(staff.userId);
    const hash = await this.ctx.staff.passwordHashOf(staff.userId);
    if (!user || !hash) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
    const where: PasswordCheck = {
      event: 'auth.reauth',
      origin: staff.ip,
      actorId: user.id,
      merchantId: user.merchantId,
    };
    const ticket = await claimPasswordCheck(this.ctx, user.login, where);
    if (!(await this.ctx.attempts.verifying(ticket, () => verifySecret(hash, password)))) {
      await countWrongPassword(this.ctx, ticket, where);
      throw AppError.from(AuthErrors, 'REAUTH_FAILED');
    }
    return renewSession(this.ctx, staff, user, ticket, 'password');
  }

  /**
   * Re-authentication by another means than the password (a passkey), already checked and counted by its owner: the
   * session gets a new id and CSRF token like after the password.
   */
  async reauthenticated(staff: StaffSession, method: 'passkey'): Promise<IssuedSession> {
    const user = await this.ctx.staff.getUser(staff.userId);
    if (user?.status !== 'active') throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
    return renewSession(this.ctx, staff, user, undefined, method);
  }

  /** End the session on the server; the cookie is then worthless. */
  logout(staff: StaffSession): Promise<void> {
    return sessions.logout(this.ctx, staff);
  }

  /** End all sessions of a user, e.g. after a password reset (a reset ends every session). */
  endAllSessions(userId: string, reason: string, executor: Executor = this.ctx.db): Promise<number> {
    return sessions.endAllSessions(this.ctx, userId, reason, executor);
  }

  /** The live sessions of a user, newest first (GET /v1/me/sessions). */
  sessionsOf(userId: string): Promise<StaffSessionRow[]> {
    return sessions.sessionsOf(this.ctx, userId);
  }

  /** End one of the caller's own sessions; false when the caller has no such session. */
  endOwnSession(staff: StaffSession, sessionId: string): Promise<boolean> {
    return sessions.endOwnSession(this.ctx, staff, sessionId);
  }

  /** End every session of a user but `keepId` (a password change keeps the session that made it). */
  endOtherSessions(userId: string, keepId: string, executor: Executor): Promise<number> {
    return repo.deleteOtherSessionsOfUser(executor, userId, keepId);
  }

  /** Forget a user's pending logins (after a reset or a factor change, a half-finished sign-in starts again). */
  async dropPendingLogins(userId: string, executor: Executor): Promise<void> {
    await repo.deletePendingLoginsOfUser(executor, userId);
  }

  /** Throw REAUTH_REQUIRED unless the session re-authenticated (or logged in) at most 5 minutes ago. */
  requireFreshAuth(staff: StaffSession): void {
    sessions.requireFreshAuth(this.ctx, staff);
  }
}
