import { MINUTE } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ApprovalsService } from '../authorization/approvals.service.js';
import type { LockoutsService } from '../authorization/lockouts.service.js';
import type { RefundPoliciesService } from '../authorization/policies.service.js';
import type { RefundCodesService } from '../authorization/refund-codes.service.js';
import type { OutboxService } from '../notify/outbox.service.js';
import type { StaffService } from '../staff/staff.service.js';

/** The authorization module's services a refund needs: codes, lockouts, policies, approvals, and who to tell. */
export interface RefundAuthorizationDeps {
  codes: RefundCodesService;
  lockouts: LockoutsService;
  policies: RefundPoliciesService;
  approvals: ApprovalsService;
  staff: StaffService;
  audit: AuditService;
  outbox: OutboxService;
}

export const MAX_REFUNDS_PER_SALE = 50;
/** A waiting refund expires after this much inactivity. */
export const REFUND_INACTIVITY = 15 * MINUTE;

/** A waiting refund expires after 15 minutes of inactivity, or when its current code expires, whichever is first. */
export function waitingUntil(now: number, codeExpiresAt: number | null): number {
  return codeExpiresAt === null ? now + REFUND_INACTIVITY : Math.min(now + REFUND_INACTIVITY, codeExpiresAt);
}
