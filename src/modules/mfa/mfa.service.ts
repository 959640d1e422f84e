import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, MINUTE, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { cryptoRandom, newId, newSecret, type RandomSource, randomDigits } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import type { StaffSession } from '../access/index.js';
import type { AttemptLimiter } from '../attempts/index.js';
import { type AuditService, ownChangeEvent } from '../audit/index.js';
import type { PendingLogin, SecondFactorMethod } from '../auth/index.js';
import type { OutboxService } from '../notify/index.js';
import { SECOND_FACTOR_REQUIRED, type StaffService, type StaffUser } from '../staff/index.js';
import { MfaErrors } from './mfa.errors.js';
import * as repo from './mfa.repository.js';
import type { AccountCodePurpose, SecondFactorKind } from './mfa.table.js';
import { countPasskeys, deletePasskeysOfUser, passkeysOfUser } from './passkey.repository.js';
import { SecondFactorAttempts } from './second-factor-attempts.js';
import { SMS_SENDS_PER_USER } from './sms-sends.js';
import { matchingStep, newTotpSecret, otpauthUrl, TOTP_PERIOD_MS } from './totp.js';

/** A second-factor SMS code lives 5 minutes (SECURITY.md "One-time codes": ≤ 10). */
export const SMS_CODE_TTL = 5 * MINUTE;
/** At most this many SMS codes per pending login or enrolment. */
const SMS_CODES_PER_BINDING = 3;
export const BACKUP_CODE_COUNT = 10;
/** Password reset: a code by SMS lives 10 minutes, a link by e-mail 24 hours (docs/security.md "Sessions and MFA"). */
export const RESET_SMS_TTL = 10 * MINUTE;
export const RESET_EMAIL_TTL = 24 * 60 * MINUTE;
const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** What a changed credential is called in the notice to the person (account-texts.ts). */
export type AccountChange =
  | 'factor_added'
  | 'factor_removed'
  | 'backup_codes_regenerated'
  | 'phone_changed'
  | 'email_changed'
  | 'password_changed'
  | 'password_reset';

export interface FactorView {
  kind: SecondFactorKind | 'passkey';
  created_at: string;
  /** A passkey's id and name (a person may have several). */
  id?: string;
  name?: string;
}

/** The services the second factors stand on. */
export interface MfaDeps {
  staff: StaffService;
  attempts: AttemptLimiter;
  audit: AuditService;
  outbox: OutboxService;
}

/**
 * Second factors (issue 12 item 3; docs/security.md "Sessions and MFA"): TOTP (RFC 6238, ±1 step, each code once),
 * SMS codes (6 digits, 5 minutes, once), 10 backup codes (HMACed, once; a new set voids the old). Every code is checked
 * through the attempt limiter: claimed before it is verified, settled after.
 */
export class MfaService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly sealer: Sealer,
    private readonly deps: MfaDeps,
    private readonly random: RandomSource = cryptoRandom,
  ) {
    this.guard = new SecondFactorAttempts(db, clock, deps.attempts, deps.audit);
  }

  private readonly guard: SecondFactorAttempts;

  /** The methods a user may use at sign-in; empty when the user has no active factor. */
  async methodsOf(userId: string, executor: Executor = this.db): Promise<SecondFactorMethod[]> {
    const factors = (await repo.factorsOfUser(executor, userId)).filter((f) => f.status === 'active');
    const passkeys = await countPasskeys(executor, userId);
    if (factors.length === 0 && passkeys === 0) return [];
    const methods: SecondFactorMethod[] = [];
    if (passkeys > 0) methods.push('passkey');
    if (factors.some((f) => f.kind === 'totp')) methods.push('totp');
    if (factors.some((f) => f.kind === 'sms')) methods.push('sms');
    if ((await repo.unusedBackupCodes(executor, userId)) > 0) methods.push('backup_code');
    return methods;
  }

  /** True when the user has at least one active second factor. */
  async hasActiveFactor(userId: string, executor: Executor = this.db): Promise<boolean> {
    if ((await repo.factorsOfUser(executor, userId)).some((f) => f.status === 'active')) return true;
    return (await countPasskeys(executor, userId)) > 0;
  }

  /** The user's active factors and how many backup codes are left. */
  async overview(staff: StaffSession): Promise<{ factors: FactorView[]; backupCodesLeft: number; required: boolean }> {
    const factors = (await repo.factorsOfUser(this.db, staff.userId)).filter((f) => f.status === 'active');
    const passkeys = await passkeysOfUser(this.db, staff.userId);
    return {
      factors: [
        ...factors.map((f): FactorView => ({ kind: f.kind, created_at: toIso(f.confirmed_at ?? f.created_at) })),
        ...passkeys.map(
          (p): FactorView => ({ kind: 'passkey', created_at: toIso(p.created_at), id: p.id, name: p.name }),
        ),
      ],
      backupCodesLeft: await repo.unusedBackupCodes(this.db, staff.userId),
      required: SECOND_FACTOR_REQUIRED.includes(staff.role),
    };
  }

  /**
   * Start a TOTP enrolment: a new seed, shown once; active only after a right code (confirmTotp), when it replaces the
   * person's previous TOTP (a new phone), so a half-done enrolment never leaves the person without one.
   */
  async startTotp(staff: StaffSession): Promise<{ secret: string; otpauthUrl: string }> {
    const user = await this.userOf(staff.userId);
    const secret = newTotpSecret(this.random);
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteFactors(trx, user.id, 'totp', 'pending');
      await repo.insertFactor(trx, {
        id: newId('mfa', this.random),
        user_id: user.id,
        kind: 'totp',
        status: 'pending',
        secret_sealed: this.sealer.seal(secret),
        created_at: this.clock.now(),
        confirmed_at: null,
      });
    });
    return { secret, otpauthUrl: otpauthUrl(secret, user.login) };
  }

  /** Confirm a TOTP enrolment with a code from the app: the factor becomes active; 10 new backup codes, shown once. */
  async confirmTotp(staff: StaffSession, code: string): Promise<string[]> {
    const user = await this.userOf(staff.userId);
    const pending = await repo.findFactor(this.db, user.id, 'totp', 'pending');
    if (!pending?.secret_sealed) throw AppError.from(MfaErrors, 'SECOND_FACTOR_NOT_ENROLLED');
    const sealed = pending.secret_sealed;
    await this.guard.checked(user, staff.ip, 'mfa.enrol', () => this.useTotp(pending.id, sealed, code));
    return this.activate(user, staff, pending.id, 'totp');
  }

  /** Start an SMS factor: a code goes to the profile phone; active after it comes back (confirmSms). */
  async startSms(staff: StaffSession): Promise<{ sentTo: string; expiresAt: number }> {
    const user = await this.userOf(staff.userId);
    if (!user.phone) throw AppError.from(MfaErrors, 'NO_PHONE');
    if (await repo.findFactor(this.db, user.id, 'sms', 'active')) {
      throw AppError.from(MfaErrors, 'SECOND_FACTOR_ALREADY_ENROLLED');
    }
    const phone = user.phone;
    const id = newId('mfa', this.random);
    return this.db.transaction().execute(async (trx) => {
      await repo.deleteFactors(trx, user.id, 'sms', 'pending');
      await repo.insertFactor(trx, {
        id,
        user_id: user.id,
        kind: 'sms',
        status: 'pending',
        secret_sealed: null,
        created_at: this.clock.now(),
        confirmed_at: null,
      });
      const expiresAt = await this.sendSmsCode(trx, user, phone, 'enrol_sms', id);
      return { sentTo: maskPhone(phone), expiresAt };
    });
  }

  /** Confirm the SMS factor with the code sent to the phone; 10 new backup codes, shown once. */
  async confirmSms(staff: StaffSession, code: string): Promise<string[]> {
    const user = await this.userOf(staff.userId);
    const pending = await repo.findFactor(this.db, user.id, 'sms', 'pending');
    if (!pending) throw AppError.from(MfaErrors, 'SECOND_FACTOR_NOT_ENROLLED');
    await this.guard.checked(user, staff.ip, 'mfa.enrol', () => this.useSmsCode('enrol_sms', pending.id, code));
    return this.activate(user, staff, pending.id, 'sms');
  }

  /** Remove a factor (re-authenticated); an owner, manager or admin keeps at least one. The person is told. */
  async removeFactor(staff: StaffSession, kind: SecondFactorKind): Promise<void> {
    const user = await this.userOf(staff.userId);
    const active = (await repo.factorsOfUser(this.db, user.id)).filter((f) => f.status === 'active');
    const target = active.find((f) => f.kind === kind);
    if (!target) throw AppError.from(MfaErrors, 'SECOND_FACTOR_NOT_ENROLLED');
    const last = active.length + (await countPasskeys(this.db, user.id)) === 1;
    if (last && SECOND_FACTOR_REQUIRED.includes(user.role)) throw AppError.from(MfaErrors, 'SECOND_FACTOR_LAST');
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteFactors(trx, user.id, kind, 'active');
      await repo.deleteStepsOfFactor(trx, target.id);
      if (last) await repo.deleteBackupCodes(trx, user.id);
      await this.notifyChange(trx, user, 'factor_removed');
      await this.deps.audit.record(trx, ownChangeEvent(user, staff.ip, 'mfa.factor_removed', { kind }));
    });
  }

  /** A new set of 10 backup codes (re-authenticated): the old set stops working at once. Shown once. */
  async regenerateBackupCodes(staff: StaffSession): Promise<string[]> {
    const user = await this.userOf(staff.userId);
    if (!(await this.hasActiveFactor(user.id))) throw AppError.from(MfaErrors, 'SECOND_FACTOR_NOT_ENROLLED');
    return this.db.transaction().execute(async (trx) => {
      const codes = await this.newBackupCodes(trx, user.id);
      await this.notifyChange(trx, user, 'backup_codes_regenerated');
      await this.deps.audit.record(trx, ownChangeEvent(user, staff.ip, 'mfa.backup_codes_regenerated', {}));
      return codes;
    });
  }

  /** Send a sign-in code by SMS for a pending login (at most 3; each new one voids the previous). */
  async sendLoginSms(pending: PendingLogin): Promise<{ sentTo: string; expiresAt: number }> {
    const user = await this.userOf(pending.userId);
    const methods = await this.methodsOf(user.id);
    if (!methods.includes('sms') || !user.phone) throw AppError.from(MfaErrors, 'SECOND_FACTOR_METHOD_UNAVAILABLE');
    const phone = user.phone;
    return this.db.transaction().execute(async (trx) => {
      const expiresAt = await this.sendSmsCode(trx, user, phone, 'login_sms', pending.id);
      return { sentTo: maskPhone(phone), expiresAt };
    });
  }

  /**
   * Check the second factor of a pending login; throws unless it is right (401), refused while locked (423). The code
   * is used up here: a TOTP step, a backup code or an SMS code is accepted once, also under parallel submissions.
   */
  async verifyForLogin(pending: PendingLogin, method: SecondFactorMethod, code: string, ip: string): Promise<void> {
    const user = await this.userOf(pending.userId);
    // A passkey answer is checked by PasskeyService.verifyForLogin, never as a code.
    if (method === 'passkey' || !(await this.methodsOf(user.id)).includes(method)) {
      throw AppError.from(MfaErrors, 'SECOND_FACTOR_METHOD_UNAVAILABLE');
    }
    await this.guard.checked(user, ip, 'auth.second_factor', async () => {
      if (method === 'backup_code') {
        const hash = this.hmac.digest('backup-code', user.id, normaliseBackupCode(code));
        return repo.useBackupCode(this.db, user.id, hash, this.clock.now());
      }
      if (method === 'sms') return this.useSmsCode('login_sms', pending.id, code);
      const factor = await repo.findFactor(this.db, user.id, 'totp', 'active');
      return factor?.secret_sealed ? this.useTotp(factor.id, factor.secret_sealed, code) : false;
    });
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

  /**
   * Start changing the person's phone: a code goes to the new number (5 minutes, once; counted with the person's other
   * SMS codes), and the number only becomes theirs once the code comes back (confirmNewPhone). A new request voids the
   * previous one.
   */
  async startNewPhone(staff: StaffSession, phone: string): Promise<{ sentTo: string; expiresAt: number }> {
    const user = await this.userOf(staff.userId);
    return this.db.transaction().execute(async (trx) => {
      const expiresAt = await this.sendSmsCode(trx, user, phone, 'verify_phone', phone, 'phone_verification');
      await this.deps.audit.record(
        trx,
        ownChangeEvent(user, staff.ip, 'account.phone_change_requested', { sent_to: maskPhone(phone) }),
      );
      return { sentTo: maskPhone(phone), expiresAt };
    });
  }

  /**
   * The code sent to a new phone, counted like a second-factor code before it is checked, used once: answers the number
   * it verified. 409 PHONE_CHANGE_NOT_STARTED when no change waits; 401 SECOND_FACTOR_FAILED when the code is wrong.
   */
  async confirmNewPhone(staff: StaffSession, code: string): Promise<string> {
    const user = await this.userOf(staff.userId);
    if ((await repo.liveAccountCodesOfUser(this.db, 'verify_phone', user.id, this.clock.now())).length === 0) {
      throw AppError.from(MfaErrors, 'PHONE_CHANGE_NOT_STARTED');
    }
    let verified: string | undefined;
    await this.guard.checked(user, staff.ip, 'account.phone_verify', async () => {
      const now = this.clock.now();
      for (const row of await repo.liveAccountCodesOfUser(this.db, 'verify_phone', user.id, now)) {
        if (!this.hmac.matches(row.code_hash, 'account-code', 'verify_phone', row.bound_to, code.trim())) continue;
        if (!(await repo.useAccountCode(this.db, row.id, now))) return false;
        verified = row.bound_to;
        return true;
      }
      return false;
    });
    if (!verified) throw AppError.from(MfaErrors, 'SECOND_FACTOR_FAILED');
    return verified;
  }

  /** A TOTP code of the person for something other than sign-in (approving a QR login), counted like sign-in codes. */
  async verifyTotp(userId: string, ip: string, event: string, code: string): Promise<void> {
    const user = await this.userOf(userId);
    const factor = await repo.findFactor(this.db, user.id, 'totp', 'active');
    const sealed = factor?.secret_sealed;
    if (!factor || !sealed) throw AppError.from(MfaErrors, 'SECOND_FACTOR_METHOD_UNAVAILABLE');
    await this.guard.checked(user, ip, event, () => this.useTotp(factor.id, sealed, code));
  }

  /**
   * A password-reset secret for a known person, inside the caller's transaction: a 6-digit code by SMS (10 minutes) or
   * a 256-bit token by e-mail (24 hours), single use; earlier reset secrets stop working. Answers when it expires.
   */
  async issueResetSecret(trx: Executor, user: StaffUser, channel: 'sms' | 'email'): Promise<number> {
    const now = this.clock.now();
    const purpose: AccountCodePurpose = channel === 'sms' ? 'reset_sms' : 'reset_email';
    const secret = channel === 'sms' ? randomDigits(6, this.random) : newSecret('rst', this.random);
    const expiresAt = now + (channel === 'sms' ? RESET_SMS_TTL : RESET_EMAIL_TTL);
    const recipient = channel === 'sms' ? user.phone : user.email;
    if (!recipient) return expiresAt;
    await repo.voidAccountCodes(trx, user.id, ['reset_sms', 'reset_email'], now);
    await repo.insertAccountCode(trx, {
      id: newId('acd', this.random),
      user_id: user.id,
      purpose,
      bound_to: user.id,
      code_hash: this.hmac.digest('account-code', purpose, user.id, secret),
      expires_at: expiresAt,
      used_at: null,
      created_at: now,
    });
    await this.deps.outbox.enqueue(trx, {
      merchantId: user.merchantId,
      channel,
      recipient,
      template: 'password_reset',
      locale: user.locale,
      params: { name: user.name, login: user.login, expires_at: toIso(expiresAt) },
      secretParams: channel === 'sms' ? { code: secret } : { token: secret },
      giveUpAt: expiresAt,
    });
    return expiresAt;
  }

  /** The live password-reset secret of this person that `secret` is, without using it up (undefined: none). */
  async findResetSecret(userId: string, secret: string): Promise<string | undefined> {
    const now = this.clock.now();
    const candidate = secret.trim();
    for (const purpose of ['reset_sms', 'reset_email'] as const) {
      for (const row of await repo.liveAccountCodes(this.db, purpose, userId, now)) {
        if (this.hmac.matches(row.code_hash, 'account-code', purpose, userId, candidate)) return row.id;
      }
    }
    return undefined;
  }

  /** Use a reset secret found by findResetSecret once: true for exactly one of many parallel callers. */
  consumeResetSecret(trx: Executor, id: string): Promise<boolean> {
    return repo.useAccountCode(trx, id, this.clock.now());
  }

  /** After a reset: every other reset secret and pending SMS code of the person stops working. */
  async voidAccountSecrets(trx: Executor, userId: string): Promise<void> {
    await repo.voidAccountCodes(trx, userId, ['reset_sms', 'reset_email', 'login_sms'], this.clock.now());
  }

  /**
   * A demo person's TOTP factor, active at once, with backup codes: `refundkey demo` prints them so the demo owner and
   * manager can sign in (API.md "Bootstrapping").
   */
  async enrolForDemo(userId: string): Promise<{ totpSecret: string; backupCodes: string[] }> {
    const secret = newTotpSecret(this.random);
    const now = this.clock.now();
    const backupCodes = await this.db.transaction().execute(async (trx) => {
      await repo.insertFactor(trx, {
        id: newId('mfa', this.random),
        user_id: userId,
        kind: 'totp',
        status: 'active',
        secret_sealed: this.sealer.seal(secret),
        created_at: now,
        confirmed_at: now,
      });
      return this.newBackupCodes(trx, userId);
    });
    return { totpSecret: secret, backupCodes };
  }

  /**
   * Tell a person that a credential of theirs changed, on the channels given (the old phone or e-mail when those are what
   * changed), in the person's language, inside the caller's transaction.
   */
  async notifyChange(
    trx: Executor,
    user: StaffUser,
    change: AccountChange,
    channels: { phone?: string | null; email?: string | null } = { phone: user.phone, email: user.email },
  ): Promise<void> {
    const params = { name: user.name, login: user.login, change, at: toIso(this.clock.now()) };
    if (channels.phone) {
      await this.deps.outbox.enqueue(trx, {
        merchantId: user.merchantId,
        channel: 'sms',
        recipient: channels.phone,
        template: 'security_notice',
        locale: user.locale,
        params,
      });
    }
    if (channels.email) {
      await this.deps.outbox.enqueue(trx, {
        merchantId: user.merchantId,
        channel: 'email',
        recipient: channels.email,
        template: 'security_notice',
        locale: user.locale,
        params,
      });
    }
  }

  private async activate(
    user: StaffUser,
    staff: StaffSession,
    factorId: string,
    kind: SecondFactorKind,
  ): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      for (const old of (await repo.factorsOfUser(trx, user.id)).filter(
        (f) => f.kind === kind && f.status === 'active',
      )) {
        await repo.deleteStepsOfFactor(trx, old.id);
      }
      await repo.deleteFactors(trx, user.id, kind, 'active');
      if (!(await repo.activateFactor(trx, factorId, this.clock.now()))) {
        throw AppError.from(MfaErrors, 'SECOND_FACTOR_FAILED');
      }
      const codes = await this.newBackupCodes(trx, user.id);
      await this.notifyChange(trx, user, 'factor_added');
      await this.deps.audit.record(trx, ownChangeEvent(user, staff.ip, 'mfa.factor_added', { kind }));
      return codes;
    });
  }

  /** A new set of backup codes inside the caller's transaction (a first factor, or a regeneration); shown once. */
  async newBackupCodes(trx: Executor, userId: string): Promise<string[]> {
    const codes: string[] = [];
    for (let i = 0; i < BACKUP_CODE_COUNT; i++) {
      let raw = '';
      for (let j = 0; j < 10; j++) raw += BACKUP_ALPHABET[this.random.int(BACKUP_ALPHABET.length)];
      codes.push(`${raw.slice(0, 5)}-${raw.slice(5)}`);
    }
    await repo.replaceBackupCodes(
      trx,
      userId,
      codes.map((code) => ({
        id: newId('bkc', this.random),
        code_hash: this.hmac.digest('backup-code', userId, normaliseBackupCode(code)),
      })),
      this.clock.now(),
    );
    return codes;
  }

  /** A TOTP code within ±1 step whose step was not used before: recorded as used in the same statement. */
  private async useTotp(factorId: string, sealed: string, code: string): Promise<boolean> {
    const now = this.clock.now();
    const step = matchingStep(this.sealer.open(sealed), code.trim(), now);
    if (step === null) return false;
    if (!(await repo.useTotpStep(this.db, factorId, step, now))) return false;
    await repo.forgetOldSteps(this.db, factorId, Math.floor(now / TOTP_PERIOD_MS) - 2);
    return true;
  }

  private async useSmsCode(purpose: AccountCodePurpose, boundTo: string, code: string): Promise<boolean> {
    const now = this.clock.now();
    const candidate = code.trim();
    for (const row of await repo.liveAccountCodes(this.db, purpose, boundTo, now)) {
      if (this.hmac.matches(row.code_hash, 'account-code', purpose, boundTo, candidate)) {
        return repo.useAccountCode(this.db, row.id, now);
      }
    }
    return false;
  }

  private async sendSmsCode(
    trx: Executor,
    user: StaffUser,
    phone: string,
    purpose: AccountCodePurpose,
    boundTo: string,
    template: 'second_factor_code' | 'phone_verification' = 'second_factor_code',
  ): Promise<number> {
    // Counted per person before the code is made (inside this transaction: a refused send leaves no count).
    const subject = { rule: SMS_SENDS_PER_USER, subject: user.id, merchantId: user.merchantId };
    const claim = await this.deps.attempts.claim([subject], trx);
    if (!claim.ok) {
      throw AppError.from(MfaErrors, 'SMS_SEND_LIMIT', {
        retry_after_s: claim.retryAfterS ?? (SMS_SENDS_PER_USER.lockMs ?? 0) / 1000,
      });
    }
    // The claim holds the person's counter row until this transaction ends, so sends of one person are taken one at a
    // time from here: the per-binding count below cannot be raced past either.
    if ((await repo.countAccountCodes(trx, purpose, boundTo)) >= SMS_CODES_PER_BINDING) {
      throw AppError.from(MfaErrors, 'SMS_CODE_LIMIT');
    }
    await this.deps.attempts.failed(claim.ticket, trx); // every send stays counted: the limit is on sends, not guesses
    const now = this.clock.now();
    const code = randomDigits(6, this.random);
    const expiresAt = now + SMS_CODE_TTL;
    await repo.voidAccountCodes(trx, user.id, [purpose], now);
    await repo.insertAccountCode(trx, {
      id: newId('acd', this.random),
      user_id: user.id,
      purpose,
      bound_to: boundTo,
      code_hash: this.hmac.digest('account-code', purpose, boundTo, code),
      expires_at: expiresAt,
      used_at: null,
      created_at: now,
    });
    await this.deps.outbox.enqueue(trx, {
      merchantId: user.merchantId,
      channel: 'sms',
      recipient: phone,
      template,
      locale: user.locale,
      params: { expires_at: toIso(expiresAt) },
      secretParams: { code },
      giveUpAt: expiresAt,
    });
    return expiresAt;
  }

  private async userOf(userId: string): Promise<StaffUser> {
    const user = await this.deps.staff.getUser(userId);
    if (!user) throw AppError.from(MfaErrors, 'SECOND_FACTOR_FAILED');
    return user;
  }
}

/** Backup codes are typed with or without the dash, in either case. */
function normaliseBackupCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
