// SMS codes to a person's phone (a sign-in, an SMS factor being enrolled, a new number): 6 digits, 5 minutes, used
// once; sends are limited per person and per thing the code is for, since every SMS costs money and disturbs the phone.
import type { Executor } from '../../db/schema.js';
import { MINUTE, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { randomDigits } from '../../lib/random.js';
import type { StaffUser } from '../staff/index.js';
import { findAccountCode, storeAccountCode } from './account-codes.js';
import { MfaErrors } from './mfa.errors.js';
import * as repo from './mfa.repository.js';
import type { AccountCodePurpose } from './mfa.table.js';
import type { MfaContext } from './mfa-context.js';
import { SMS_SENDS_PER_USER } from './sms-sends.js';

/** A second-factor SMS code lives 5 minutes (SECURITY.md "One-time codes": ≤ 10). */
export const SMS_CODE_TTL = 5 * MINUTE;
/** At most this many SMS codes per pending login or enrolment. */
const SMS_CODES_PER_BINDING = 3;

/**
 * Send a new code for `purpose` bound to `boundTo` inside the caller's transaction (the previous one stops working);
 * answers when it expires. 429 SMS_SEND_LIMIT past the person's sends, SMS_CODE_LIMIT past the binding's.
 */
export async function sendSmsCode(
  ctx: MfaContext,
  trx: Executor,
  user: StaffUser,
  phone: string,
  purpose: AccountCodePurpose,
  boundTo: string,
  template: 'second_factor_code' | 'phone_verification' = 'second_factor_code',
): Promise<number> {
  // Counted per person before the code is made (inside this transaction: a refused send leaves no count).
  const subject = { rule: SMS_SENDS_PER_USER, subject: user.id, merchantId: user.merchantId };
  const claim = await ctx.deps.attempts.claim([subject], trx);
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
  await ctx.deps.attempts.failed(claim.ticket, trx); // every send stays counted: the limit is on sends, not guesses
  const now = ctx.clock.now();
  const code = randomDigits(6, ctx.random);
  const expiresAt = now + SMS_CODE_TTL;
  await storeAccountCode(ctx, trx, { userId: user.id, purpose, boundTo, secret: code, expiresAt }, [purpose], now);
  await ctx.deps.outbox.enqueue(trx, {
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

/** Use the live SMS code of `purpose` for `boundTo` that `code` is: true for exactly one of many parallel callers. */
export async function useSmsCode(
  ctx: MfaContext,
  purpose: AccountCodePurpose,
  boundTo: string,
  code: string,
): Promise<boolean> {
  const now = ctx.clock.now();
  const id = await findAccountCode(ctx, purpose, boundTo, code, now);
  return id ? repo.useAccountCode(ctx.db, id, now) : false;
}
