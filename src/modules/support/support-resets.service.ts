import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, HOUR, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { type Hmac, hashSecret } from '../../lib/hashing.js';
import { cryptoRandom, newId, type RandomSource } from '../../lib/random.js';
import { checkLoginPassword } from '../../lib/secret-strength.js';
import type { StaffSession } from '../access/index.js';
import { AccountErrors } from '../account/index.js';
import { type AuditService, staffActor, staffEvent } from '../audit/index.js';
import { AuthErrors, type AuthService } from '../auth/index.js';
import type { MfaService } from '../mfa/index.js';
import type { OutboxService } from '../notify/index.js';
import type { RefundKeyPolicy, RefundKeyState, RefundKeysService } from '../refund-keys/index.js';
import { maskPhone, type StaffService, type StaffUser } from '../staff/index.js';
import { SupportErrors } from './support.errors.js';
import type { SupportCaseRow } from './support.table.js';

/** A new phone named at a lost-phone reset takes effect 72 hours later, announced on the old phone and e-mail. */
export const SUPPORT_PHONE_WAIT = 72 * HOUR;

export interface SupportResetsDeps {
  staff: StaffService;
  auth: AuthService;
  mfa: MfaService;
  refundKeys: RefundKeysService;
  audit: AuditService;
  outbox: OutboxService;
}

export interface AccountReset {
  /** Optional: the code alone identifies its case. */
  caseId?: string;
  token: string;
  newPassword: string;
  newPhone?: string;
}

/**
 * The owner's side of an approved support case: the reset code that reached the registered channel sets a new login
 * password and removes every second factor (a new one is enrolled at the next sign-in, which requires it), or, for a
 * forgotten key, a new refund key. A lost phone is replaced only after SUPPORT_PHONE_WAIT, announced on the old phone.
 * The code is 256 random bits, kept as an HMAC, used once by one conditional update, 24 hours.
 */
export class SupportResetsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly deps: SupportResetsDeps,
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /** New password (+ new phone for a lost phone); every factor, session and pending sign-in of the owner ends. */
  async resetAccount(input: AccountReset, ip: string): Promise<{ phoneEffectiveAt: number | null }> {
    const found = await this.liveCase(input.caseId, input.token, ip);
    if (found.kind === 'forgotten_key') throw await this.refuse(found, ip, 'SUPPORT_RESET_WRONG_KIND');
    if (found.kind === 'lost_phone' && !input.newPhone)
      throw await this.refuse(found, ip, 'SUPPORT_NEW_PHONE_REQUIRED');
    const owner = await this.owner(found);
    const report = checkLoginPassword(input.newPassword, [owner.login, owner.name]);
    if (!report.acceptable) {
      throw AppError.from(AuthErrors, 'PASSWORD_TOO_WEAK', { param: 'new_password', reasons: report.reasons });
    }
    if (owner.merchantId && (await this.deps.refundKeys.isActiveKeyOfMerchant(owner.merchantId, input.newPassword))) {
      throw AppError.from(AccountErrors, 'PASSWORD_IS_REFUND_KEY');
    }
    const hash = await hashSecret(input.newPassword);
    const now = this.clock.now();
    const newPhone = found.kind === 'lost_phone' ? (input.newPhone ?? null) : null;
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.consume(trx, found.id))) throw AppError.from(SupportErrors, 'SUPPORT_RESET_INVALID');
      const { staff, auth, mfa } = this.deps;
      await staff.setPasswordHash(trx, owner.id, hash);
      await mfa.dropAllFactors(trx, owner.id);
      await auth.endAllSessions(owner.id, 'support_reset', trx);
      await auth.dropPendingLogins(owner.id, trx);
      await mfa.voidAccountSecrets(trx, owner.id);
      await mfa.notifyChange(trx, owner, 'password_reset');
      if (newPhone) await this.schedulePhone(trx, found, owner, newPhone, now);
      await this.record(trx, found, ip, 'support.reset_completed', 'success', { kind: found.kind });
    });
    return { phoneEffectiveAt: newPhone ? now + SUPPORT_PHONE_WAIT : null };
  }

  /** Forgotten key: the owner, signed in, sets a new refund key with the reset code in place of the phone code. */
  async resetRefundKey(
    staff: StaffSession,
    input: {
      caseId?: string;
      token: string;
      newKey: string;
      confirmKey: string;
      storeId?: string;
      policy?: RefundKeyPolicy;
    },
  ): Promise<RefundKeyState> {
    const found = await this.liveCase(input.caseId, input.token, staff.ip);
    if (found.owner_id !== staff.userId) throw await this.refuse(found, staff.ip, 'SUPPORT_RESET_INVALID');
    if (found.kind !== 'forgotten_key') throw await this.refuse(found, staff.ip, 'SUPPORT_RESET_WRONG_KIND');
    return this.deps.refundKeys.recoverKey(
      staff,
      { storeId: input.storeId, policy: input.policy, newKey: input.newKey, confirmKey: input.confirmKey },
      async () => {
        await this.db.transaction().execute(async (trx) => {
          if (!(await this.consume(trx, found.id))) throw AppError.from(SupportErrors, 'SUPPORT_RESET_INVALID');
          await this.record(trx, found, staff.ip, 'support.reset_completed', 'success', { kind: found.kind });
        });
      },
    );
  }

  /** The worker's pass: every announced phone change whose waiting period is over takes effect; returns how many. */
  async applyDuePhoneChanges(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .selectFrom('support_phone_changes')
      .selectAll()
      .where('applied_at', 'is', null)
      .where('canceled_at', 'is', null)
      .where('effective_at', '<=', now)
      .limit(100)
      .execute();
    let applied = 0;
    for (const change of due) {
      const owner = await this.deps.staff.getUser(change.user_id);
      if (!owner) continue;
      const done = await this.db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('support_phone_changes')
          .set({ applied_at: now })
          .where('id', '=', change.id)
          .where('applied_at', 'is', null)
          .where('canceled_at', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return false;
        await this.deps.staff.setProfile(trx, owner.id, { phone: change.new_phone });
        await this.deps.mfa.notifyChange(trx, owner, 'phone_changed', { phone: owner.phone, email: owner.email });
        await this.deps.mfa.notifyChange(trx, owner, 'phone_changed', { phone: change.new_phone });
        await this.deps.audit.record(trx, {
          merchantId: owner.merchantId,
          actor: { type: 'system' },
          event: 'support.phone_changed',
          outcome: 'success',
          origin: 'worker',
          object: { type: 'support_case', id: change.case_id },
          detail: { phone: maskPhone(change.new_phone) },
        });
        return true;
      });
      if (done) applied++;
    }
    return applied;
  }

  /** An agent stops an announced phone change (the real owner called back on the old phone); false if none waits. */
  async cancelPhoneChange(agent: StaffSession, caseId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('support_phone_changes')
        .set({ canceled_at: this.clock.now() })
        .where('case_id', '=', caseId)
        .where('applied_at', 'is', null)
        .where('canceled_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      const object = { type: 'support_case', id: caseId };
      await this.deps.audit.record(
        trx,
        staffEvent(agent, 'support.phone_change_canceled', { merchantId: null, object }),
      );
      return true;
    });
  }

  /** The pending phone change of a case, if any. */
  phoneChangeOf(caseId: string) {
    return this.db.selectFrom('support_phone_changes').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  }

  private async schedulePhone(trx: Executor, found: SupportCaseRow, owner: StaffUser, phone: string, now: number) {
    const effectiveAt = now + SUPPORT_PHONE_WAIT;
    await trx
      .insertInto('support_phone_changes')
      .values({
        id: newId('spc', this.random),
        case_id: found.id,
        user_id: owner.id,
        new_phone: phone,
        created_at: now,
        effective_at: effectiveAt,
        applied_at: null,
        canceled_at: null,
      })
      .execute();
    // Announced on the OLD channels: whoever still holds the old phone learns of it and can call support to stop it.
    for (const [channel, recipient] of [
      ['sms', owner.phone],
      ['email', owner.email],
    ] as const) {
      if (!recipient) continue;
      await this.deps.outbox.enqueue(trx, {
        merchantId: found.merchant_id,
        channel,
        recipient,
        template: 'support_phone_change_notice',
        locale: owner.locale,
        params: { case_id: found.id, new_phone: maskPhone(phone), effective_at: toIso(effectiveAt) },
      });
    }
  }

  /**
   * An approved case whose reset code matches, unused and unexpired. Every other case answers alike
   * (401 SUPPORT_RESET_INVALID): the code is 256 random bits, so it has no attempt counter (like an invitation).
   */
  private async liveCase(caseId: string | undefined, token: string, ip: string): Promise<SupportCaseRow> {
    const row = caseId === undefined ? await this.caseOfToken(token.trim()) : await this.caseById(caseId);
    const now = this.clock.now();
    const live =
      row?.status === 'approved' &&
      row.reset_token_hash !== null &&
      row.reset_used_at === null &&
      (row.reset_expires_at ?? 0) > now &&
      this.hmac.matches(row.reset_token_hash, 'support-reset', row.id, token.trim());
    if (!row || !live) {
      await this.deps.audit.record(undefined, {
        merchantId: row?.merchant_id ?? null,
        actor: { type: 'anonymous' },
        event: 'support.reset_completed',
        outcome: 'failure',
        origin: ip,
        object: { type: 'support_case', id: row?.id ?? '-' },
        detail: { reason: 'invalid' },
      });
      throw AppError.from(SupportErrors, 'SUPPORT_RESET_INVALID');
    }
    return row;
  }

  private caseById(caseId: string) {
    return this.db.selectFrom('support_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  }

  /** The code alone (the owner's message shows no internal id): matched against the few cases with a live code. */
  private async caseOfToken(token: string): Promise<SupportCaseRow | undefined> {
    const live = await this.db
      .selectFrom('support_cases')
      .selectAll()
      .where('status', '=', 'approved')
      .where('reset_used_at', 'is', null)
      .where('reset_expires_at', '>', this.clock.now())
      .execute();
    return live.find(
      (row) => row.reset_token_hash && this.hmac.matches(row.reset_token_hash, 'support-reset', row.id, token),
    );
  }

  /** Use the reset code once: true for exactly one of many parallel callers. */
  private async consume(trx: Executor, caseId: string): Promise<boolean> {
    const now = this.clock.now();
    const result = await trx
      .updateTable('support_cases')
      .set({ reset_used_at: now })
      .where('id', '=', caseId)
      .where('reset_used_at', 'is', null)
      .where('reset_expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async owner(found: SupportCaseRow): Promise<StaffUser> {
    const owner = await this.deps.staff.getUser(found.owner_id);
    if (!owner || owner.status === 'disabled') throw AppError.from(SupportErrors, 'SUPPORT_OWNER_NOT_FOUND');
    return owner;
  }

  private async refuse(
    found: SupportCaseRow,
    ip: string,
    code: 'SUPPORT_RESET_INVALID' | 'SUPPORT_RESET_WRONG_KIND' | 'SUPPORT_NEW_PHONE_REQUIRED',
  ) {
    await this.record(undefined, found, ip, 'support.reset_completed', 'failure', { reason: code });
    return AppError.from(SupportErrors, code);
  }

  private record(
    trx: Executor | undefined,
    found: SupportCaseRow,
    ip: string,
    event: string,
    outcome: 'success' | 'failure',
    detail: Record<string, unknown>,
  ): Promise<void> {
    const owner = staffActor({ id: found.owner_id, merchantId: found.merchant_id }, ip);
    return this.deps.audit.record(
      trx,
      staffEvent(owner, event, { outcome, object: { type: 'support_case', id: found.id }, detail }),
    );
  }
}
