// The merchants module as other modules see it: they import it only through this file (docs/architecture.md).
export { MerchantsService } from './merchants.service.js';
export type { RatePlan, RefundWindows } from './rate-plan.js';
export { RatePlanSchema, RefundWindowsSchema, refundWindowMs } from './rate-plan.js';
export type { NamedRatePlan } from './rate-plan-catalogue.js';
export { findRatePlan, RATE_PLANS } from './rate-plan-catalogue.js';
