import { z } from 'zod';
import { HOUR, MINUTE } from '../../lib/clock.js';
import { RefundWindowsSchema } from '../merchants/index.js';
import type { AuthorizationFactor } from '../refund-model/index.js';

const Cap = z.int().min(1).max(100_000_000_000).nullable();

/** A store's refund policy (the mall case): windows, thresholds, caps, tender rule, velocity alert. */
export const RefundPolicySchema = z.strictObject({
  /** Days after a sale a refund may start, per method; null = the store's windows. */
  windows_days: RefundWindowsSchema.nullable().default(null),
  thresholds: z
    .strictObject({
      /** Up to this amount (fen) the refund key alone authorizes. */
      key_only_max: z.int().min(0).default(20_000),
      /** Up to this amount key + one-time code; above it a second person's approval as well. */
      key_and_code_max: z.int().min(0).default(200_000),
    })
    .refine((t) => t.key_only_max <= t.key_and_code_max, { message: 'key_only_max ≤ key_and_code_max' })
    .default({ key_only_max: 20_000, key_and_code_max: 200_000 }),
  caps: z
    .strictObject({
      operator_daily_amount: Cap.default(null),
      operator_daily_count: Cap.default(null),
      store_daily_amount: Cap.default(null),
      store_daily_count: Cap.default(null),
    })
    .default({
      operator_daily_amount: null,
      operator_daily_count: null,
      store_daily_amount: null,
      store_daily_count: null,
    }),
  /** Refunds go back to the original tender; false lets a card or QR sale be refunded in cash. */
  original_tender_only: z.boolean().default(true),
  /** Largest single cash refund in fen; null = no cap. */
  cash_refund_cap: Cap.default(null),
  velocity: z
    .strictObject({
      count: z.int().min(2).max(100).default(3),
      window_minutes: z
        .int()
        .min(1)
        .max(24 * 60)
        .default(10),
    })
    .default({ count: 3, window_minutes: 10 }),
});
export type RefundPolicy = z.infer<typeof RefundPolicySchema>;

export const DEFAULT_REFUND_POLICY: RefundPolicy = RefundPolicySchema.parse({});

/** What the key that guards the store says about extra factors (RefundKeysService.status). */
export interface KeyFacts {
  policy: 'password' | 'pin';
  expired: boolean;
}

/**
 * The factors a refund needs: by amount per the thresholds; a pin-policy key or an expired key also needs a code
 * (docs/security.md "Passwords and refund keys").
 */
export function requiredFactors(policy: RefundPolicy, amount: number, key: KeyFacts): AuthorizationFactor[] {
  const factors: AuthorizationFactor[] = ['refund_key'];
  const needsCode = amount > policy.thresholds.key_only_max || key.policy === 'pin' || key.expired;
  if (needsCode) factors.push('one_time_code');
  if (amount > policy.thresholds.key_and_code_max) factors.push('approval');
  return factors;
}

/** The calendar day (Asia/Shanghai, UTC+8) of a moment, for daily caps. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
}

export function velocityWindowMs(policy: RefundPolicy): number {
  return policy.velocity.window_minutes * MINUTE;
}
