import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Clock, HOUR, MINUTE, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { cryptoRandom, newId, type RandomSource, randomDigits } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import type { AttemptLimiter, AttemptRule, AttemptSubject } from '../attempts/index.js';
import { type AuditService, staffEvent } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import { maskPhone, type StaffService } from '../staff/index.js';
import { keyObject } from './key-notices.js';
import { KeyRecoveryErrors } from './key-recovery.errors.js';
import type { RefundKeyPolicy, RefundKeyState, RefundKeysService } from './refund-keys.service.js';

/** A recovery code lives 5 minutes (docs/security.md "One-time refund codes": ≤ 10). */
export const KEY_RECOVERY_CODE_TTL = 5 * MINUTE;

/** At most 5 recovery codes per owner per hour: every send is counted before a code is made. */
export const KEY_RECOVERY_SENDS_PER_USER: AttemptRule = {
  name: 'key_recovery_send',
  limit: 5,
  windowMs: HOUR,
  lockMs: HOUR,
  successClears: false,
};

/** 5 wrong recovery codes of one owner within 15 minutes lock that owner's recovery for 15 minutes. */
export const KEY_RECOVERY_CODES_PER_USER: AttemptRule = {
  name: 'key_recovery_code',
  limit: 5,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  successClears: true,
};

export interface KeyRecoveryDeps {
  refundKeys: RefundKeysService;
  staff: StaffService;
  attempts: AttemptLimiter;
  audit: AuditService;
  outbox: OutboxService;
  /** Whether the person has an active second factor (handed in by the composition root: mfa is on this floor). */
  hasSecondFactor: (userId: string) => Promise<boolean>;
}

/**
 * The forgotten refund key (issue 15 item 1): an owner who is signed in with a second factor proves the registered
 * phone with a code and sets a new key without the old one. The key is read from the database at every refund, so
 * every terminal refuses the old key from the commit on; the owners and managers are told on every channel.
 */
export class KeyRecoveryService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly deps: KeyRecoveryDeps,
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /** Text a code to the owner's registered phone (never to a number given here); earlier codes stop working. */
  async start(staff: StaffSession): Promise<{ sentTo: string; expiresAt: number }> {
    const { user, merchantId, phone } = await this.owner(staff);
    return this.db.transaction().execute(async (trx) => {
      const subject = { rule: KEY_RECOVERY_SENDS_PER_USER, subject: user.id, merchantId };
      const claim = await this.deps.attempts.claim([subject], trx);
      if (!claim.ok) {
        throw AppError.from(KeyRecoveryErrors, 'KEY_RECOVERY_SEND_LIMIT', {
          retry_after_s: claim.retryAfterS ?? (KEY_RECOVERY_SENDS_PER_USER.lockMs ?? 0) / 1000,
        });
      }
      await this.deps.attempts.failed(claim.ticket, trx); // every send stays counted: the limit is on sends
      const now = this.clock.now();
      const code = randomDigits(6, this.random);
      const expiresAt = now + KEY_RECOVERY_CODE_TTL;
      await trx
        .updateTable('refund_key_recovery_codes')
        .set({ expires_at: now })
        .where('user_id', '=', user.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      const id = newId('krc', this.random);
      await trx
        .insertInto('refund_key_recovery_codes')
        .values({
          id,
          user_id: user.id,
          merchant_id: merchantId,
          code_hash: this.hmac.digest('key-recovery', user.id, id, code),
          created_at: now,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
      await this.deps.outbox.enqueue(trx, {
        merchantId,
        channel: 'sms',
        recipient: phone,
        template: 'refund_key_recovery_code',
        locale: user.locale,
        params: { expires_at: toIso(expiresAt) },
        secretParams: { code },
        giveUpAt: expiresAt,
      });
      await this.deps.audit.record(
        trx,
        staffEvent(staff, 'refund_key.recovery_requested', {
          object: keyObject(merchantId, null),
          detail: { sent_to: maskPhone(phone) },
        }),
      );
      return { sentTo: maskPhone(phone), expiresAt };
    });
  }

  /**
   * The code and the new key: the key's rules are checked first (a weak key costs no code), then the code is claimed
   * against the attempt limit before it is checked, and used once; then the key is replaced.
   */
  async confirm(
    staff: StaffSession,
    input: { code: string; storeId?: string; policy?: RefundKeyPolicy; newKey: string; confirmKey: string },
  ): Promise<RefundKeyState> {
    const { user, merchantId } = await this.owner(staff);
    if ((await this.liveCodes(user.id)).length === 0) {
      throw AppError.from(KeyRecoveryErrors, 'KEY_RECOVERY_NOT_STARTED');
    }
    return this.deps.refundKeys.recoverKey(
      staff,
      { storeId: input.storeId, policy: input.policy, newKey: input.newKey, confirmKey: input.confirmKey },
      () => this.prove(staff, user.id, merchantId, input.code),
    );
  }

  private async prove(staff: StaffSession, userId: string, merchantId: string, code: string): Promise<void> {
    const { attempts, audit } = this.deps;
    const subject: AttemptSubject = { rule: KEY_RECOVERY_CODES_PER_USER, subject: userId, merchantId };
    const refused = (reason: string) =>
      audit.record(
        undefined,
        staffEvent(staff, 'refund_key.recovery_code', {
          outcome: 'failure',
          object: keyObject(merchantId, null),
          detail: { reason },
        }),
      );
    const claim = await attempts.claim([subject]);
    if (!claim.ok) {
      await refused('locked');
      throw AppError.from(KeyRecoveryErrors, 'KEY_RECOVERY_LOCKED', {
        retry_after_s: claim.retryAfterS ?? (KEY_RECOVERY_CODES_PER_USER.lockMs ?? 0) / 1000,
      });
    }
    const ok = await attempts.verifying(claim.ticket, () => this.useCode(userId, code.trim()));
    if (!ok) {
      await attempts.failed(claim.ticket);
      await refused('wrong_code');
      throw AppError.from(KeyRecoveryErrors, 'KEY_RECOVERY_CODE_INVALID', {
        attempts_left: await attempts.attemptsLeft(subject),
      });
    }
    await attempts.succeeded(claim.ticket);
  }

  /** True for exactly one caller with the right code: the use is one conditional update. */
  private async useCode(userId: string, candidate: string): Promise<boolean> {
    const now = this.clock.now();
    for (const row of await this.liveCodes(userId)) {
      if (!this.hmac.matches(row.code_hash, 'key-recovery', userId, row.id, candidate)) continue;
      const result = await this.db
        .updateTable('refund_key_recovery_codes')
        .set({ used_at: now })
        .where('id', '=', row.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    }
    return false;
  }

  private liveCodes(userId: string) {
    return this.db
      .selectFrom('refund_key_recovery_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.clock.now())
      .execute();
  }

  /** The signed-in owner with a second factor and a registered phone. */
  private async owner(staff: StaffSession) {
    const user = await this.deps.staff.getUser(staff.userId);
    if (!user || staff.merchantId === null || user.role !== 'owner') throw AppError.from(CommonErrors, 'FORBIDDEN');
    if (!(await this.deps.hasSecondFactor(user.id))) {
      throw AppError.from(KeyRecoveryErrors, 'KEY_RECOVERY_SECOND_FACTOR_REQUIRED');
    }
    if (!user.phone) throw AppError.from(KeyRecoveryErrors, 'KEY_RECOVERY_NO_PHONE');
    return { user, merchantId: staff.merchantId, phone: user.phone };
  }
}
