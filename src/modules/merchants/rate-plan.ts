import { z } from 'zod';
import { DAY } from '../../lib/clock.js';
import type { PaymentMethodType } from '../acquirer/index.js';

const MethodFee = z.object({
  bps: z.int().min(0).max(10_000),
  cap: z.int().min(0).nullable(),
});

/** Fees per payment method in basis points, with an optional cap in fen (费率). */
export const RatePlanSchema = z.object({
  bank_card: MethodFee,
  qr: MethodFee,
  order: MethodFee,
  cash: MethodFee,
});
export type RatePlan = z.infer<typeof RatePlanSchema>;

export const DEFAULT_RATE_PLAN: RatePlan = {
  bank_card: { bps: 60, cap: 2000 },
  qr: { bps: 38, cap: null },
  order: { bps: 30, cap: null },
  cash: { bps: 0, cap: null },
};

/** How long after a sale a refund may start, per method, in days. */
export const RefundWindowsSchema = z.object({
  bank_card: z.int().min(0).max(3650),
  qr: z.int().min(0).max(3650),
  order: z.int().min(0).max(3650),
  cash: z.int().min(0).max(3650),
});
export type RefundWindows = z.infer<typeof RefundWindowsSchema>;

export const DEFAULT_REFUND_WINDOWS: RefundWindows = { bank_card: 30, cash: 30, qr: 365, order: 365 };

export function refundWindowMs(windows: RefundWindows, method: PaymentMethodType): number {
  return windows[method] * DAY;
}
