import { DEFAULT_RATE_PLAN, type RatePlan } from './rate-plan.js';

/** A named rate plan (费率方案) the platform offers; a merchant is assigned one, and settlement uses its fees. */
export interface NamedRatePlan {
  id: string;
  name: string;
  fees: RatePlan;
}

/** The plans on offer. A catalogue in code, not a table: changing fees is a release with a review, not a row edit. */
export const RATE_PLANS: readonly NamedRatePlan[] = [
  { id: 'standard', name: '标准费率 Standard', fees: DEFAULT_RATE_PLAN },
  {
    id: 'small_business',
    name: '小微商户 Small business',
    fees: {
      bank_card: { bps: 38, cap: 2000 },
      qr: { bps: 25, cap: null },
      order: { bps: 25, cap: null },
      cash: { bps: 0, cap: null },
    },
  },
  {
    id: 'mall',
    name: '商场专柜 Mall counter',
    fees: {
      bank_card: { bps: 55, cap: 2500 },
      qr: { bps: 35, cap: null },
      order: { bps: 30, cap: null },
      cash: { bps: 0, cap: null },
    },
  },
];

export function findRatePlan(id: string): NamedRatePlan | undefined {
  return RATE_PLANS.find((plan) => plan.id === id);
}
