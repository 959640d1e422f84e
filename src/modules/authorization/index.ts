// The authorization module as other modules see it: they import it only through this file (docs/architecture.md).
export { ApprovalsService } from './approvals.service.js';
export { destinationsOf, maskDestination, maskEmail, maskPhone } from './approvers.js';
export { AuthorizationErrors } from './authorization.errors.js';
export type { EffectivePolicy } from './policies.service.js';
export { RefundPoliciesService } from './policies.service.js';
export type { Decision, FactorsGiven } from './refund-authorization.service.js';
export { RefundAuthorizationService } from './refund-authorization.service.js';
export { MAX_CODE_FAILURES, MAX_CODES_PER_REFUND } from './refund-codes.service.js';
export { requiredFactors, velocityWindowMs } from './refund-policy.js';
