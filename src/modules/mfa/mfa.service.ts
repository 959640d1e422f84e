import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { cryptoRandom, type RandomSource } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import type { StaffSession } from '../access/index.js';
import type { PendingLogin, SecondFactorMethod } from '../auth/index.js';
import { maskPhone, type StaffUser } from '../staff/index.js';
import * as notices from './account-notices.js';
import * as backupCodes from './backup-codes.js';
import * as enrolment from './factor-enrolment.js';
import * as factors from './factors-of.js';
import { MfaErrors } from './mfa.errors.js';
import * as repo from './mfa.repository.js';
import type { SecondFactorKind } from './mfa.table.js';
import { type MfaContext, type MfaDeps, userOf } from './mfa-context.js';
import { deletePasskeysOfUser } from './passkey.repository.js';
import * as phoneChange from './phone-change.js';
import * as resets from './reset-secrets.js';
import { SecondFactorAttempts } from './second-factor-attempts.js';
import { sendSmsCode, useSmsCode } from './sms-codes.js';
import { useTotp } from './totp-steps.js';

/**
 * Second factors (issue 12 item 3; docs/security.md "Sessions and MFA"): TOTP (RFC 6238, ±1 step, each code once),
 * SMS codes (6 digits, 5 minutes, once), 10 backup codes (HMACed, once; a new set voids the old). Every code is checked
 * through the attempt limiter: claimed before it is verified, settled after. This class is what the rest of the app
 * holds; it checks the second factor of a sign-in itself and hands the rest to the file that owns it: enrolment
 * (factor-enrolment.ts), phone changes (phone-change.ts), password-reset secrets (reset-secrets.ts), notices
 * (account-notices.ts).
 */
export class MfaService {
  private readonly ctx: MfaContext;

  constructor(
    db: Kysely<DB>,
    clock: Clock,
    hmac: Hmac,
    sealer: Sealer,
    deps: MfaDeps,
    random: RandomSource = cryptoRandom,
  ) {
    const guard = new SecondFactorAttempts(db, clock, deps.attempts, deps.audit);
    this.ctx = { db, clock, hmac, sealer, random, deps, guard };
  }

  /** The methods a user may use at sign-in; empty when the user has no active factor. */
  methodsOf(userId: string, executor: Executor = this.ctx.db): Promise<SecondFactorMethod[]> {
    return factors.methodsOf(executor, userId);
  }

  /** True when the user has at least one active second factor. */
  hasActiveFactor(userId: string, executor: Executor = this.ctx.db): Promise<boolean> {
    return factors.hasActiveFactor(executor, userId);
  }

  /** The user's active factors and how many backup codes are left. */
  overview(
    staff: StaffSession,
  ): Promise<{ factors: factors.FactorView[]; backupCodesLeft: number; required: boolean }> {
    return factors.overview(this.ctx.db, staff);
  }

  /** Start a TOTP enrolment: a new seed, shown once, active after a right code (confirmTotp). */
  startTotp(staff: StaffSession): Promise<{ secret: string; otpauthUrl: string }> {
    return enrolment.startTotp(this.ctx, staff);
  }

  /** Confirm a TOTP enrolment with a code from the app; 10 new backup codes, shown once. */
  confirmTotp(staff: StaffSession, code: string): Promise<string[]> {
    return enrolment.confirmTotp(this.ctx, staff, code);
  }

  /** Start an SMS factor: a code goes to the profile phone; active after it comes back (confirmSms). */
  startSms(staff: StaffSession): Promise<{ sentTo: string; expiresAt: number }> {
    return enrolment.startSms(this.ctx, staff);
  }

  /** Confirm the SMS factor with the code sent to the phone; 10 new backup codes, shown once. */
  confirmSms(staff: StaffSession, code: string): Promise<string[]> {
    return enrolment.confirmSms(this.ctx, staff, code);
  }

  /** Remove a factor (re-authenticated); an owner, manager or admin keeps at least one. The person is told. */
  removeFactor(staff: StaffSession, kind: SecondFactorKind): Promise<void> {
    return enrolment.removeFactor(this.ctx, staff, kind);
  }

  /** A new set of 10 backup codes (re-authenticated): the old set stops working at once. Shown once. */
  regenerateBackupCodes(staff: StaffSession): Promise<string[]> {
    return enrolment.regenerateBackupCodes(this.ctx, staff);
  }

  /** A demo person's TOTP factor, active at once, with backup codes (`refundkey demo` prints them). */
  enrolForDemo(userId: string): Promise<{ totpSecret: string; backupCodes: string[] }> {
    return enrolment.enrolForDemo(this.ctx, userId);
  }

  /** Send a sign-in code by SMS for a pending login (at most 3; each new one voids the previous). */
  async sendLoginSms(pending: PendingLogin): Promise<{ sentTo: string; expiresAt: number }> {
    const user = await userOf(this.ctx, pending.userId);
    const methods = await this.methodsOf(user.id);
    if (!methods.includes('sms') || !user.phone) throw AppError.from(MfaErrors, 'SECOND_FACTOR_METHOD_UNAVAILABLE');
    const phone = user.phone;
    return this.ctx.db.transaction().execute(async (trx) => {
      const expiresAt = await sendSmsCode(this.ctx, trx, user, phone, 'login_sms', pending.id);
      return { sentTo: maskPhone(phone), expiresAt };
    });
  }

  /**
   * Check the second factor of a pending login; throws unless it is right (401), refused while locked (423). The code
   * is used up here: a TOTP step, a backup code or an SMS code is accepted once, also under parallel submissions.
   */
  async verifyForLogin(pending: PendingLogin, method: SecondFactorMethod, code: string, ip: string): Promise<void> {
    const user = await userOf(this.ctx, pending.userId);
    // A passkey answer is checked by PasskeyService.verifyForLogin, never as a code.
    if (method === 'passkey' || !(await this.methodsOf(user.id)).includes(method)) {
      throw AppError.from(MfaErrors, 'SECOND_FACTOR_METHOD_UNAVAILABLE');
    }
    await this.ctx.guard.checked(user, ip, 'auth.second_factor', async () => {
      if (method === 'backup_code') return backupCodes.useBackupCode(this.ctx, user.id, code);
      if (method === 'sms') return useSmsCode(this.ctx, 'login_sms', pending.id, code);
      const factor = await repo.findFactor(this.ctx.db, user.id, 'totp', 'active');
      return factor?.secret_sealed ? useTotp(this.ctx, factor.id, factor.secret_sealed, code) : false;
    });
  }

  /** A TOTP code of the person for something other than sign-in (approving a QR login), counted like sign-in codes. */
  async verifyTotp(userId: string, ip: string, event: string, code: string): Promise<void> {
    const user = await userOf(this.ctx, userId);
    const factor = await repo.findFactor(this.ctx.db, user.id, 'totp', 'active');
    const sealed = factor?.secret_sealed;
    if (!factor || !sealed) throw AppError.from(MfaErrors, 'SECOND_FACTOR_METHOD_UNAVAILABLE');
    await this.ctx.guard.checked(user, ip, event, () => useTotp(this.ctx, factor.id, sealed, code));
  }

  /**
   * Every second factor of the person goes, inside the caller's transaction: a support reset approved by two agents
   * (support/support-resets.service.ts) after the factors were lost; the person enrols a new one at the next sign-in.
   */
  async dropAllFactors(trx: Executor, userId: string): Promise<void> {
    for (const factor of await repo.factorsOfUser(trx, userId)) await repo.deleteStepsOfFactor(trx, factor.id);
    for (const kind of ['totp', 'sms'] as const) {
      for (const status of ['active', 'pending'] as const) await repo.deleteFactors(trx, userId, kind, status);
    }
    await deletePasskeysOfUser(trx, userId);
    await repo.deleteBackupCodes(trx, userId);
  }

  /** Forget the person's backup codes inside the caller's transaction (their last factor is gone). */
  async dropBackupCodes(trx: Executor, userId: string): Promise<void> {
    await repo.deleteBackupCodes(trx, userId);
  }

  /** A new set of backup codes inside the caller's transaction (a first factor, or a regeneration); shown once. */
  newBackupCodes(trx: Executor, userId: string): Promise<string[]> {
    return backupCodes.newBackupCodes(this.ctx, trx, userId);
  }

  /** Start changing the person's phone: a code goes to the new number; it becomes theirs at confirmNewPhone. */
  startNewPhone(staff: StaffSession, phone: string): Promise<{ sentTo: string; expiresAt: number }> {
    return phoneChange.startNewPhone(this.ctx, staff, phone);
  }

  /** The code sent to a new phone, checked and used once: answers the number it verified. */
  confirmNewPhone(staff: StaffSession, code: string): Promise<string> {
    return phoneChange.confirmNewPhone(this.ctx, staff, code);
  }

  /** A password-reset secret for a known person, inside the caller's transaction; answers when it expires. */
  issueResetSecret(trx: Executor, user: StaffUser, channel: 'sms' | 'email'): Promise<number> {
    return resets.issueResetSecret(this.ctx, trx, user, channel);
  }

  /** The live password-reset secret of this person that `secret` is, without using it up (undefined: none). */
  findResetSecret(userId: string, secret: string): Promise<string | undefined> {
    return resets.findResetSecret(this.ctx, userId, secret);
  }

  /** Use a reset secret found by findResetSecret once: true for exactly one of many parallel callers. */
  consumeResetSecret(trx: Executor, id: string): Promise<boolean> {
    return resets.consumeResetSecret(this.ctx, trx, id);
  }

  /** After a reset: every other reset secret and pending SMS code of the person stops working. */
  voidAccountSecrets(trx: Executor, userId: string): Promise<void> {
    return resets.voidAccountSecrets(this.ctx, trx, userId);
  }

  /** Tell a person that a credential of theirs changed, inside the caller's transaction (account-notices.ts). */
  notifyChange(
    trx: Executor,
    user: StaffUser,
    change: notices.AccountChange,
    channels?: { phone?: string | null; email?: string | null },
  ): Promise<void> {
    return notices.notifyChange(this.ctx, trx, user, change, channels);
  }
}
