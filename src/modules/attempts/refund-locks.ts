import type { Executor } from '../../db/schema.js';
import { REFUND_AUTH_PER_MERCHANT, REFUND_CODE_PER_REFUND, REFUND_KEY_PER_TERMINAL } from './attempt-rules.js';
import { type AttemptSubject, lockedFor } from './attempts.service.js';

/** Wrong refund keys of one terminal (5 in a row lock it). */
export const terminalKeySubject = (terminalId: string, merchantId: string): AttemptSubject => ({
  rule: REFUND_KEY_PER_TERMINAL,
  subject: terminalId,
  merchantId,
});

/** Wrong refund keys and codes of one merchant (10 in 30 minutes lock all its refunds). */
export const merchantRefundSubject = (merchantId: string): AttemptSubject => ({
  rule: REFUND_AUTH_PER_MERCHANT,
  subject: merchantId,
  merchantId,
});

/** Wrong one-time codes of one refund (5 burn its codes, across resends). */
export const refundCodeSubject = (refundId: string, merchantId: string): AttemptSubject => ({
  rule: REFUND_CODE_PER_REFUND,
  subject: refundId,
  merchantId,
});

/**
 * Seconds until refunds at this terminal of this merchant may move on again, or 0 when neither is locked. Read inside
 * the transaction that moves a refund on, so nothing completes while a lock started by a concurrent burst holds.
 */
export function refundLockSeconds(
  executor: Executor,
  at: { terminalId: string; merchantId: string },
  now: number,
): Promise<number | null> {
  return lockedFor(
    executor,
    [terminalKeySubject(at.terminalId, at.merchantId), merchantRefundSubject(at.merchantId)],
    now,
  );
}
