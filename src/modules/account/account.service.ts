import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { type Hmac, hashSecret } from '../../lib/hashing.js';
import { checkLoginPassword } from '../../lib/secret-strength.js';
import type { StaffSession } from '../access/index.js';
import { type AttemptLimiter, type AttemptSubject, PASSWORD_RESET_PER_LOGIN } from '../attempts/index.js';
import { type AuditService, ownChangeEvent } from '../audit/index.js';
import { AuthErrors, type AuthService, type IssuedSession, type StaffSessionRow } from '../auth/index.js';
import type { AccountChange, MfaService } from '../mfa/index.js';
import type { RefundKeysService } from '../refund-keys/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import { AccountErrors } from './account.errors.js';

export interface AccountDeps {
  staff: StaffService;
  auth: AuthService;
  mfa: MfaService;
  refundKeys: RefundKeysService;
  attempts: AttemptLimiter;
  audit: AuditService;
}

/**
 * One's own account (issue 12 items 5, 6): change the password, reset a forgotten one by SMS code or e-mail link (the
 * same answer for known and unknown accounts; never a session, so the second factor still guards the next sign-in;
 * every session ends), the sessions list, phone, e-mail and language.
 */
export class AccountService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly hmac: Hmac,
    private readonly deps: AccountDeps,
  ) {}

  /**
   * Change the password with the old one (counted like a re-authentication, and giving the session a new id); the new
   * one follows the strength rules and differs from the refund key. Every other session ends; the person is told.
   */
  async changePassword(staff: StaffSession, oldPassword: string, newPassword: string): Promise<IssuedSession> {
    const user = await this.userOf(staff.userId);
    this.assertStrong(newPassword, [user.login, user.name, user.email ?? '', user.phone ?? '']);
    // Before the old password rotates the session, so a refusal leaves the browser's session as it was.
    await this.assertNotRefundKey(user, newPassword);
    const issued = await this.deps.auth.reauthenticate(staff, oldPassword);
    const hash = await hashSecret(newPassword);
    await this.db.transaction().execute(async (trx) => {
      await this.deps.staff.setPasswordHash(trx, user.id, hash);
      const ended = await this.deps.auth.endOtherSessions(user.id, staff.sessionId, trx);
      await this.deps.mfa.notifyChange(trx, user, 'password_changed');
      await this.deps.audit.record(
        trx,
        ownChangeEvent(user, staff.ip, 'auth.password_changed', { other_sessions_ended: ended }),
      );
    });
    return issued;
  }

  /**
   * Ask for a reset: a known, active person gets a code by SMS (10 minutes) or a token by e-mail (24 hours). The
   * answer, and the work done before it, are the same whether or not the login id exists.
   */
  async requestReset(login: string, channel: 'sms' | 'email', ip: string): Promise<void> {
    const user = await this.deps.staff.findByLogin(login.trim());
    const known = user?.status === 'active' && (channel === 'sms' ? user.phone : user.email) ? user : undefined;
    await this.db.transaction().execute(async (trx) => {
      if (known) await this.deps.mfa.issueResetSecret(trx, known, channel);
      await this.deps.audit.record(trx, {
        merchantId: known?.merchantId ?? null,
        actor: { type: 'anonymous' },
        event: 'auth.password_reset_requested',
        outcome: 'info',
        origin: ip,
        ...(known ? { object: { type: 'user', id: known.id } } : {}),
        detail: { channel, known: Boolean(known) },
      });
    });
  }

  /**
   * Reset with the code or token: counted per login id before it is checked (known or not), used once (of parallel
   * uses one wins), then the new password is set, every session and pending sign-in ends, and the person is told. It
   * signs nobody in: the next sign-in asks for the second factor as always.
   */
  async confirmReset(login: string, secret: string, newPassword: string, ip: string): Promise<void> {
    // The same inputs for known and unknown ids, so the strength answer reveals nothing about the account.
    this.assertStrong(newPassword, [login]);
    const subject: AttemptSubject = {
      rule: PASSWORD_RESET_PER_LOGIN,
      subject: this.hmac.digest('reset-attempts', login.trim().toLowerCase()),
      merchantId: null,
    };
    const claim = await this.deps.attempts.claim([subject]);
    if (!claim.ok) {
      await this.auditReset(undefined, null, ip, 'failure', { reason: 'locked' });
      throw AppError.from(AccountErrors, 'RESET_LOCKED', {
        retry_after_s: claim.retryAfterS ?? (PASSWORD_RESET_PER_LOGIN.lockMs ?? 0) / 1000,
      });
    }
    const user = await this.deps.staff.findByLogin(login.trim());
    const found = user?.status === 'active' ? await this.deps.mfa.findResetSecret(user.id, secret) : undefined;
    if (!user || !found) {
      await this.db.transaction().execute(async (trx) => {
        await this.deps.attempts.failed(claim.ticket, trx);
        await this.auditReset(trx, user ?? null, ip, 'failure', { reason: 'invalid' });
      });
      throw AppError.from(AccountErrors, 'RESET_INVALID');
    }
    await this.deps.attempts.succeeded(claim.ticket);
    await this.assertNotRefundKey(user, newPassword);
    const hash = await hashSecret(newPassword);
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.deps.mfa.consumeResetSecret(trx, found))) throw AppError.from(AccountErrors, 'RESET_INVALID');
      await this.deps.staff.setPasswordHash(trx, user.id, hash);
      await this.deps.auth.endAllSessions(user.id, 'password_reset', trx);
      await this.deps.auth.dropPendingLogins(user.id, trx);
      await this.deps.mfa.voidAccountSecrets(trx, user.id);
      await this.deps.mfa.notifyChange(trx, user, 'password_reset');
      await this.auditReset(trx, user, ip, 'success', {});
    });
  }

  /** The person's live sessions, newest first, marking the one asking. */
  async sessions(staff: StaffSession): Promise<Array<StaffSessionRow & { current: boolean }>> {
    return (await this.deps.auth.sessionsOf(staff.userId)).map((row) => ({
      ...row,
      current: row.id === staff.sessionId,
    }));
  }

  /** End one of the person's own sessions; 404 for any other id. */
  async endSession(staff: StaffSession, sessionId: string): Promise<void> {
    if (!(await this.deps.auth.endOwnSession(staff, sessionId)))
      throw AppError.from(AccountErrors, 'SESSION_NOT_FOUND');
  }

  /** Sign out everywhere: every session of the person ends, this one too. */
  async endAllSessions(staff: StaffSession): Promise<number> {
    return this.deps.auth.endAllSessions(staff.userId, 'logout_everywhere');
  }

  /** The language of messages to this person (zh-CN or en). */
  async setLocale(staff: StaffSession, locale: 'zh-CN' | 'en'): Promise<void> {
    const user = await this.userOf(staff.userId);
    await this.db.transaction().execute(async (trx) => {
      await this.deps.staff.setProfile(trx, staff.userId, { locale });
      await this.deps.audit.record(trx, ownChangeEvent(user, staff.ip, 'account.locale_changed', { locale }));
    });
  }

  /** A new phone or e-mail (re-authenticated); the notice goes to the old one, where the person still reads it. */
  /** Ask to change one's phone: a code goes to the new number; nothing changes until it comes back. */
  requestPhoneChange(staff: StaffSession, phone: string): Promise<{ sentTo: string; expiresAt: number }> {
    return this.deps.mfa.startNewPhone(staff, phone);
  }

  /** The code from the new phone came back: the number becomes the person's, and the old phone and e-mail are told. */
  async confirmPhoneChange(staff: StaffSession, code: string): Promise<void> {
    const phone = await this.deps.mfa.confirmNewPhone(staff, code);
    await this.changeContact(staff, { phone });
  }

  async changeContact(staff: StaffSession, change: { phone: string } | { email: string }): Promise<void> {
    const user = await this.userOf(staff.userId);
    const which: AccountChange = 'phone' in change ? 'phone_changed' : 'email_changed';
    await this.db.transaction().execute(async (trx) => {
      await this.deps.staff.setProfile(trx, user.id, change);
      await this.deps.mfa.notifyChange(trx, user, which, { phone: user.phone, email: user.email });
      await this.deps.audit.record(trx, ownChangeEvent(user, staff.ip, `account.${which}`, {}));
    });
  }

  private assertStrong(password: string, inputs: string[]): void {
    const report = checkLoginPassword(password, inputs);
    if (!report.acceptable) {
      throw AppError.from(AuthErrors, 'PASSWORD_TOO_WEAK', {
        param: 'new_password',
        reasons: report.reasons,
        suggestions: report.suggestions,
      });
    }
  }

  /**
   * Only the people who set the refund key (owners, managers) are told their new password equals it: for anyone else
   * the answer would be an oracle on the key, one uncounted guess per password change.
   */
  private async assertNotRefundKey(user: StaffUser, password: string): Promise<void> {
    const holdsKey = user.role === 'owner' || user.role === 'manager';
    if (!holdsKey || !user.merchantId) return;
    if (await this.deps.refundKeys.isActiveKeyOfMerchant(user.merchantId, password)) {
      throw AppError.from(AccountErrors, 'PASSWORD_IS_REFUND_KEY', { param: 'new_password' });
    }
  }

  private auditReset(
    trx: Parameters<AuditService['record']>[0],
    user: StaffUser | null,
    ip: string,
    outcome: 'success' | 'failure',
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.deps.audit.record(trx, {
      merchantId: user?.merchantId ?? null,
      actor: user ? { type: 'user', id: user.id } : { type: 'anonymous' },
      event: 'auth.password_reset',
      outcome,
      origin: ip,
      ...(user ? { object: { type: 'user', id: user.id } } : {}),
      detail,
    });
  }

  private async userOf(userId: string): Promise<StaffUser> {
    const user = await this.deps.staff.getUser(userId);
    if (!user) throw AppError.from(AccountErrors, 'SESSION_NOT_FOUND');
    return user;
  }
}
