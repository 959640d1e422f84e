// The refund-model module as other modules see it: they import it only through this file (docs/architecture.md).

export type { AuthorizationDetails, NextStep } from './refund.js';
export {
  MAX_REFUNDS_PER_SALE,
  missingFactors,
  NO_CODE,
  nextStep,
  REFUND_INACTIVITY,
  refundAuditEvent,
  waitingUntil,
} from './refund.js';
export type { Refund } from './refund.schemas.js';
export { RefundSchema } from './refund.schemas.js';
export type { AuthorizationFactor, RefundRecord, RefundStatus } from './refund.types.js';
