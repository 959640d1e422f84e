import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, HOUR, MINUTE } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { type Hmac, verifySecret } from '../../lib/hashing.js';
import { cryptoRandom, newId, newSecret, type RandomSource } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import { type AttemptLimiter, type AttemptSubject, type AttemptTicket, LOGIN_PER_ID } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import { AuthErrors } from './auth.errors.js';
import * as repo from './auth.repository.js';
import type { StaffSessionRow } from './auth.table.js';
import { PendingLoginErrors } from './pending-login.errors.js';

// docs/security.md "Back-office sessions" and "Attempt limits".
export const IDLE_TIMEOUT = 15 * MINUTE;
export const ABSOLUTE_TIMEOUT = 12 * HOUR;
export const REAUTH_MAX_AGE = 5 * MINUTE;
/** How long the pending login between a right password and the second factor lives. */
export const PENDING_LOGIN_TTL = 5 * MINUTE;

/** The second-factor methods a user may use at sign-in (none: the password alone signs in). */
export type SecondFactorMethod = 'passkey' | 'totp' | 'sms' | 'backup_code';
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

/** A pending login found by its token: who, and from where the password came. */
export interface PendingLogin {
  id: string;
  userId: string;
  ip: string;
}

/** What a browser receives at login or re-authentication: the cookie token and its CSRF token, shown once. */
export interface IssuedSession {
  session: StaffSession;
  user: StaffUser;
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/** Back-office sessions: login with lockout, re-authentication, logout, and resolving a cookie to a session. */
export class AuthService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly attempts: AttemptLimiter,
    private readonly random: RandomSource = cryptoRandom,
    private readonly secondFactorsOf: SecondFactorsOf = async () => [],
  ) {}

  /**
   * Sign in with a login id and password; the same answer and about the same time whether or not the id exists. A user
   * with a second factor gets no session yet, only a pending login that POST /v1/auth/second-factor completes.
   */
  async signIn(login: string, password: string, ip: string): Promise<LoginOutcome> {
    const ticket = await this.claim(this.loginSubject(login), { event: 'auth.login', origin: ip });
    const user = await this.attempts.verifying(ticket, () => this.staff.verifyLogin(login, password));
    if (!user) {
      await this.countFailure(ticket, { event: 'auth.login', origin: ip, actorId: null, merchantId: null });
      throw AppError.from(AuthErrors, 'LOGIN_FAILED');
    }
    const methods = await this.secondFactorsOf(user.id);
    if (methods.length === 0) return { status: 'signed_in', issued: await this.issue(user, ip, ticket) };
    const now = this.clock.now();
    const pendingToken = newSecret('rkp', this.random);
    const id = newId('pli', this.random);
    const expiresAt = now + PENDING_LOGIN_TTL;
    await this.db.transaction().execute(async (trx) => {
      await this.attempts.succeeded(ticket, trx);
      await repo.insertPendingLogin(trx, {
        id,
        token_hash: this.hmac.digest('pending-login', pendingToken),
        user_id: user.id,
        ip,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      });
      await this.audit.record(trx, {
        merchantId: user.merchantId,
        actor: { type: 'user', id: user.id },
        event: 'auth.login',
        outcome: 'info',
        origin: ip,
        object: { type: 'pending_login', id },
        detail: { step: 'password', next: 'second_factor', methods },
      });
    });
    return { status: 'second_factor_required', methods, pendingToken, expiresAt, userId: user.id };
  }

  /** Sign in where no second factor can be asked for (an invitation just accepted): refused if the user has one. */
  async login(login: string, password: string, ip: string): Promise<IssuedSession> {
    const outcome = await this.signIn(login, password, ip);
    if (outcome.status !== 'signed_in') throw AppError.from(PendingLoginErrors, 'SECOND_FACTOR_REQUIRED');
    return outcome.issued;
  }

  /** The live pending login behind a token; 401 PENDING_LOGIN_INVALID when unknown, used or expired. */
  async pendingLogin(token: string | undefined): Promise<PendingLogin> {
    const row = token ? await repo.findPendingLogin(this.db, this.hmac.digest('pending-login', token)) : undefined;
    if (!row || row.used_at !== null || row.expires_at <= this.clock.now()) {
      throw AppError.from(PendingLoginErrors, 'PENDING_LOGIN_INVALID');
    }
    return { id: row.id, userId: row.user_id, ip: row.ip };
  }

  /** The second factor was right: use the pending login once and open the session. */
  async completePendingLogin(pending: PendingLogin, ip: string, method: SecondFactorMethod): Promise<IssuedSession> {
    const user = await this.staff.getUser(pending.userId);
    if (user?.status !== 'active') throw AppError.from(PendingLoginErrors, 'PENDING_LOGIN_INVALID');
    return this.issue(user, ip, undefined, { pendingId: pending.id, method });
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
    return this.issue(user, ip, undefined, undefined, { via, consume, refused });
  }

  /** A new session for a user whose credentials were checked: inside one transaction with its audit entry. */
  private async issue(
    user: StaffUser,
    ip: string,
    ticket: AttemptTicket | undefined,
    secondFactor?: { pendingId: string; method: SecondFactorMethod },
    approved?: {
      via: { kind: string; id: string };
      consume: (trx: Executor) => Promise<boolean>;
      refused: () => AppError;
    },
  ): Promise<IssuedSession> {
    const now = this.clock.now();
    const token = newSecret('rks', this.random);
    const csrfToken = newSecret('csrf', this.random);
    const row: StaffSessionRow = {
      id: newId('ses', this.random),
      token_hash: this.hmac.digest('staff-session', token),
      csrf_hash: this.hmac.digest('staff-csrf', csrfToken),
      user_id: user.id,
      ip,
      created_at: now,
      last_seen_at: now,
      reauth_at: now,
      expires_at: now + ABSOLUTE_TIMEOUT,
    };
    await this.db.transaction().execute(async (trx) => {
      if (ticket) await this.attempts.succeeded(ticket, trx);
      if (secondFactor && !(await repo.consumePendingLogin(trx, secondFactor.pendingId, now))) {
        throw AppError.from(PendingLoginErrors, 'PENDING_LOGIN_INVALID');
      }
      if (approved && !(await approved.consume(trx))) throw approved.refused();
      await repo.insertSession(trx, row);
      await this.audit.record(trx, {
        merchantId: user.merchantId,
        actor: { type: 'user', id: user.id },
        event: 'auth.login',
        outcome: 'success',
        origin: ip,
        object: { type: 'session', id: row.id },
        ...(secondFactor ? { detail: { second_factor: secondFactor.method } } : {}),
        ...(approved
          ? { detail: { approved_via: approved.via.kind, [`${approved.via.kind}_id`]: approved.via.id } }
          : {}),
      });
    });
    return { session: toSession(row, user, ip), user, token, csrfToken, expiresAt: row.expires_at };
  }

  /**
   * The session behind a cookie token, enforcing the idle and absolute timeouts and, for state-changing requests,
   * the CSRF token bound to the session. Each use moves the idle deadline.
   */
  async authenticate({
    token,
    csrfToken,
    checkCsrf,
    ip,
  }: {
    token: string | undefined;
    csrfToken: string | undefined;
    checkCsrf: boolean;
    ip: string;
  }): Promise<StaffSession> {
    if (!token) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
    const row = await repo.findSessionByToken(this.db, this.hmac.digest('staff-session', token));
    if (!row) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
    const now = this.clock.now();
    if (now - row.last_seen_at > IDLE_TIMEOUT || now >= row.expires_at) {
      await repo.deleteSession(this.db, row.id);
      throw AppError.from(AuthErrors, 'SESSION_EXPIRED');
    }
    if (checkCsrf && !(csrfToken && this.hmac.matches(row.csrf_hash, 'staff-csrf', csrfToken))) {
      throw AppError.from(AuthErrors, 'CSRF_INVALID');
    }
    const user = await this.staff.getUser(row.user_id);
    if (!user) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
    await repo.touchSession(this.db, row.id, now);
    return toSession(row, user, ip);
  }

  /** Re-enter the password: counts toward the login lockout, and on success gives the session a new id and CSRF token. */
  async reauthenticate(staff: StaffSession, password: string): Promise<IssuedSession> {
    const user = await this.staff.getUser(staff.userId);
    const hash = await this.staff.passwordHashOf(staff.userId);
    if (!user || !hash) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
    const ticket = await this.claim(this.loginSubject(user.login), {
      event: 'auth.reauth',
      origin: staff.ip,
      actorId: user.id,
      merchantId: user.merchantId,
    });
    if (!(await this.attempts.verifying(ticket, () => verifySecret(hash, password)))) {
      await this.countFailure(ticket, {
        event: 'auth.reauth',
        origin: staff.ip,
        actorId: user.id,
        merchantId: user.merchantId,
      });
      throw AppError.from(AuthErrors, 'REAUTH_FAILED');
    }
    return this.rotate(staff, user, ticket, 'password');
  }

  /**
   * Re-authentication by another means than the password (a passkey), already checked and counted by its owner: the
   * session gets a new id and CSRF token like after the password.
   */
  async reauthenticated(staff: StaffSession, method: 'passkey'): Promise<IssuedSession> {
    const user = await this.staff.getUser(staff.userId);
    if (user?.status !== 'active') throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
    return this.rotate(staff, user, undefined, method);
  }

  private async rotate(
    staff: StaffSession,
    user: StaffUser,
    ticket: AttemptTicket | undefined,
    method: 'password' | 'passkey',
  ): Promise<IssuedSession> {
    const now = this.clock.now();
    const token = newSecret('rks', this.random);
    const csrfToken = newSecret('csrf', this.random);
    await this.db.transaction().execute(async (trx) => {
      if (ticket) await this.attempts.succeeded(ticket, trx);
      await repo.rotateSession(
        trx,
        staff.sessionId,
        this.hmac.digest('staff-session', token),
        this.hmac.digest('staff-csrf', csrfToken),
        now,
      );
      await this.audit.record(trx, {
        merchantId: user.merchantId,
        actor: { type: 'user', id: user.id },
        event: 'auth.reauth',
        outcome: 'success',
        origin: staff.ip,
        object: { type: 'session', id: staff.sessionId },
        ...(method === 'password' ? {} : { detail: { method } }),
      });
    });
    const row = await repo.findSessionByToken(this.db, this.hmac.digest('staff-session', token));
    if (!row) throw AppError.from(AuthErrors, 'SESSION_EXPIRED');
    return { session: toSession(row, user, staff.ip), user, token, csrfToken, expiresAt: row.expires_at };
  }

  /** End the session on the server; the cookie is then worthless. */
  async logout(staff: StaffSession): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteSession(trx, staff.sessionId);
      await this.audit.record(trx, {
        merchantId: staff.merchantId,
        actor: { type: 'user', id: staff.userId },
        event: 'auth.logout',
        outcome: 'success',
        origin: staff.ip,
        object: { type: 'session', id: staff.sessionId },
      });
    });
  }

  /** End all sessions of a user, e.g. after a password reset (a reset ends every session). */
  async endAllSessions(userId: string, reason: string, executor: Executor = this.db): Promise<number> {
    const ended = await repo.deleteSessionsOfUser(executor, userId);
    await this.audit.record(executor === this.db ? undefined : executor, {
      actor: { type: 'system' },
      event: 'auth.sessions_ended',
      outcome: 'info',
      object: { type: 'user', id: userId },
      detail: { reason, ended },
    });
    return ended;
  }

  /** The live sessions of a user, newest first (GET /v1/me/sessions). */
  async sessionsOf(userId: string): Promise<StaffSessionRow[]> {
    const now = this.clock.now();
    const rows = await repo.sessionsOfUser(this.db, userId);
    return rows.filter((r) => now - Number(r.last_seen_at) <= IDLE_TIMEOUT && now < Number(r.expires_at));
  }

  /** End one of the caller's own sessions; false when the caller has no such session. */
  async endOwnSession(staff: StaffSession, sessionId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const ended = await repo.deleteSessionOfUser(trx, staff.userId, sessionId);
      if (ended) {
        await this.audit.record(trx, {
          merchantId: staff.merchantId,
          actor: { type: 'user', id: staff.userId },
          event: 'auth.logout',
          outcome: 'success',
          origin: staff.ip,
          object: { type: 'session', id: sessionId },
        });
      }
      return ended;
    });
  }

  /** End every session of a user but `keepId` (a password change keeps the session that made it). */
  async endOtherSessions(userId: string, keepId: string, executor: Executor): Promise<number> {
    return repo.deleteOtherSessionsOfUser(executor, userId, keepId);
  }

  /** Forget a user's pending logins (after a reset or a factor change, a half-finished sign-in starts again). */
  async dropPendingLogins(userId: string, executor: Executor): Promise<void> {
    await repo.deletePendingLoginsOfUser(executor, userId);
  }

  /** Throw REAUTH_REQUIRED unless the session re-authenticated (or logged in) at most 5 minutes ago. */
  requireFreshAuth(staff: StaffSession): void {
    if (staff.reauthAt === null || this.clock.now() - staff.reauthAt > REAUTH_MAX_AGE) {
      throw AppError.from(AuthErrors, 'REAUTH_REQUIRED', { max_age_s: REAUTH_MAX_AGE / 1000 });
    }
  }

  private loginSubject(login: string): AttemptSubject {
    return {
      rule: LOGIN_PER_ID,
      subject: this.hmac.digest('login-attempts', login.trim().toLowerCase()),
      merchantId: null,
    };
  }

  /** Count the attempt before the password is checked; a refused claim is audited and answered 423 LOGIN_LOCKED. */
  private async claim(
    subject: AttemptSubject,
    where: { event: string; origin: string; actorId?: string; merchantId?: string | null },
  ): Promise<AttemptTicket> {
    const claim = await this.attempts.claim([subject]);
    if (claim.ok) return claim.ticket;
    await this.audit.record(undefined, {
      merchantId: where.merchantId ?? null,
      actor: where.actorId ? { type: 'user', id: where.actorId } : { type: 'anonymous' },
      event: where.event,
      outcome: 'failure',
      origin: where.origin,
      detail: { reason: 'locked' },
    });
    throw AppError.from(AuthErrors, 'LOGIN_LOCKED', {
      retry_after_s: claim.retryAfterS ?? Math.ceil((LOGIN_PER_ID.lockMs ?? 0) / 1000),
    });
  }

  private async countFailure(
    ticket: AttemptTicket,
    where: { event: string; origin: string; actorId: string | null; merchantId: string | null },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const lockedNow = await this.attempts.failed(ticket, trx);
      const actor = where.actorId ? { type: 'user' as const, id: where.actorId } : { type: 'anonymous' as const };
      await this.audit.record(trx, {
        merchantId: where.merchantId,
        actor,
        event: where.event,
        outcome: 'failure',
        origin: where.origin,
        detail: { reason: 'bad_credentials', attempt: ticket.claims[0]?.ordinal ?? null },
      });
      if (lockedNow.length > 0) {
        await this.audit.record(trx, {
          merchantId: where.merchantId,
          actor,
          event: 'auth.lockout',
          outcome: 'info',
          origin: where.origin,
          detail: { until: this.clock.now() + (LOGIN_PER_ID.lockMs ?? 0), scope: 'login' },
        });
      }
    });
  }
}

function toSession(row: StaffSessionRow, user: StaffUser, ip: string): StaffSession {
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
