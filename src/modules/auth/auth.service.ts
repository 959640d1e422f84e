import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, HOUR, MINUTE } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { type Hmac, verifySecret } from '../../lib/hashing.js';
import { cryptoRandom, newId, newSecret, type RandomSource } from '../../lib/random.js';
import type { StaffSession } from '../access/staff-context.js';
import { LOGIN_PER_ID } from '../attempts/attempt-rules.js';
import type { AttemptLimiter, AttemptSubject, AttemptTicket } from '../attempts/attempts.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { StaffService, StaffUser } from '../staff/staff.service.js';
import { AuthErrors } from './auth.errors.js';
import * as repo from './auth.repository.js';
import type { StaffSessionRow } from './auth.table.js';

// docs/security.md "Back-office sessions" and "Attempt limits".
export const IDLE_TIMEOUT = 15 * MINUTE;
export const ABSOLUTE_TIMEOUT = 12 * HOUR;
export const REAUTH_MAX_AGE = 5 * MINUTE;

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
  ) {}

  /** Sign in with a login id and password; the same answer and about the same time whether or not the id exists. */
  async login(login: string, password: string, ip: string): Promise<IssuedSession> {
    const ticket = await this.claim(this.loginSubject(login), { event: 'auth.login', origin: ip });
    const user = await this.staff.verifyLogin(login, password);
    if (!user) {
      await this.countFailure(ticket, { event: 'auth.login', origin: ip, actorId: null, merchantId: null });
      throw AppError.from(AuthErrors, 'LOGIN_FAILED');
    }
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
      await this.attempts.succeeded(ticket, trx);
      await repo.insertSession(trx, row);
      await this.audit.record(trx, {
        merchantId: user.merchantId,
        actor: { type: 'user', id: user.id },
        event: 'auth.login',
        outcome: 'success',
        origin: ip,
        object: { type: 'session', id: row.id },
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
    if (!(await verifySecret(hash, password))) {
      await this.countFailure(ticket, {
        event: 'auth.reauth',
        origin: staff.ip,
        actorId: user.id,
        merchantId: user.merchantId,
      });
      throw AppError.from(AuthErrors, 'REAUTH_FAILED');
    }
    const now = this.clock.now();
    const token = newSecret('rks', this.random);
    const csrfToken = newSecret('csrf', this.random);
    await this.db.transaction().execute(async (trx) => {
      await this.attempts.succeeded(ticket, trx);
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
