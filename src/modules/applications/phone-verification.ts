import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Clock, HOUR, MINUTE, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { newId, newSecret, type RandomSource, randomDigits } from '../../lib/random.js';
import type { AttemptLimiter, AttemptRule, AttemptSubject } from '../attempts/index.js';
import { maskPhone } from '../authorization/index.js';
import type { OutboxService } from '../notify/index.js';
import { ApplicationErrors } from './applications.errors.js';

/** A code lives 5 minutes; a verified phone may be used for an application within 30 minutes, once. */
export const PHONE_CODE_TTL = 5 * MINUTE;
export const PHONE_PROOF_TTL = 30 * MINUTE;

/** 5 codes per phone per hour (SMS pumping, a stranger's phone flooded), counted before the code is made. */
export const CODES_PER_PHONE: AttemptRule = {
  name: 'apply_code_phone',
  limit: 5,
  windowMs: HOUR,
  lockMs: HOUR,
  successClears: false,
};
/** 20 codes per IP address per hour, whatever the phones. */
export const CODES_PER_IP: AttemptRule = {
  name: 'apply_code_ip',
  limit: 20,
  windowMs: HOUR,
  lockMs: HOUR,
  successClears: false,
};
/** 5 wrong codes per phone within 15 minutes lock that phone's verification for 15 minutes. */
export const VERIFY_PER_PHONE: AttemptRule = {
  name: 'apply_verify_phone',
  limit: 5,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  successClears: false,
};

export interface PhoneVerificationDeps {
  attempts: AttemptLimiter;
  outbox: OutboxService;
}

/**
 * The applicant's phone, proved by an SMS code before an application is accepted. Every send and every guess is
 * claimed against its limits before anything else (docs/security.md "Attempt limits"); a correct code yields a
 * proof token (256 bits, kept as an HMAC) that one application consumes in its own transaction.
 */
export class PhoneVerification {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly deps: PhoneVerificationDeps,
    private readonly random: RandomSource,
  ) {}

  /** Send a 6-digit code to `phone`; refused (nothing sent) past 5 per phone or 20 per IP within an hour. */
  async sendCode(phone: string, ip: string, locale: string): Promise<{ sent_to: string; expires_at: string }> {
    const claim = await this.deps.attempts.claim([
      { rule: CODES_PER_PHONE, subject: phone, merchantId: null },
      { rule: CODES_PER_IP, subject: ip, merchantId: null },
    ]);
    if (!claim.ok) {
      throw AppError.from(ApplicationErrors, 'APPLICATION_CODE_SEND_LIMIT', {
        retry_after_s: claim.retryAfterS ?? HOUR / 1000,
      });
    }
    await this.deps.attempts.failed(claim.ticket); // a send stays counted: the limit is on sends
    const now = this.clock.now();
    const id = newId('apc', this.random);
    const code = randomDigits(6, this.random);
    const expiresAt = now + PHONE_CODE_TTL;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('application_phone_codes')
        .values({
          id,
          phone,
          code_hash: this.hmac.digest('application-phone-code', id, code),
          created_at: now,
          expires_at: expiresAt,
          verified_at: null,
          proof_hash: null,
          proof_expires_at: null,
          used_at: null,
        })
        .execute();
      await this.deps.outbox.enqueue(trx, {
        channel: 'sms',
        recipient: phone,
        template: 'application_phone_code',
        locale,
        params: { expires_at: toIso(expiresAt) },
        secretParams: { code },
        giveUpAt: expiresAt,
      });
    });
    return { sent_to: maskPhone(phone), expires_at: toIso(expiresAt) };
  }

  /**
   * Check a code against the newest one sent to `phone` (a newer code replaces the older). The guess is counted before
   * it is checked; a right code is used once (of parallel right guesses one wins) and answers the proof token.
   */
  async verify(phone: string, code: string): Promise<{ phone_token: string; expires_at: string }> {
    const subject: AttemptSubject = { rule: VERIFY_PER_PHONE, subject: phone, merchantId: null };
    const claim = await this.deps.attempts.claim([subject]);
    if (!claim.ok) {
      throw AppError.from(ApplicationErrors, 'APPLICATION_PHONE_LOCKED', {
        retry_after_s: claim.retryAfterS ?? VERIFY_PER_PHONE.lockMs ?? 0,
      });
    }
    const now = this.clock.now();
    const newest = await this.db
      .selectFrom('application_phone_codes')
      .selectAll()
      .where('phone', '=', phone)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const right =
      newest !== undefined &&
      newest.verified_at === null &&
      newest.expires_at > now &&
      this.hmac.matches(newest.code_hash, 'application-phone-code', newest.id, code);
    const proof = newSecret('apv', this.random);
    const won =
      right &&
      Number(
        (
          await this.db
            .updateTable('application_phone_codes')
            .set({
              verified_at: now,
              proof_hash: this.hmac.digest('application-phone-proof', proof),
              proof_expires_at: now + PHONE_PROOF_TTL,
            })
            .where('id', '=', newest.id)
            .where('verified_at', 'is', null)
            .executeTakeFirst()
        ).numUpdatedRows,
      ) === 1;
    if (!won) {
      await this.deps.attempts.failed(claim.ticket);
      const left = await this.deps.attempts.attemptsLeft(subject);
      throw AppError.from(ApplicationErrors, 'APPLICATION_CODE_INVALID', { param: 'code', attempts_left: left });
    }
    await this.deps.attempts.succeeded(claim.ticket);
    return { phone_token: proof, expires_at: toIso(now + PHONE_PROOF_TTL) };
  }
}
