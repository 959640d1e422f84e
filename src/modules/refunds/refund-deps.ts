import type { AuditService } from '../audit/audit.service.js';
import type { RefundPoliciesService } from '../authorization/policies.service.js';
import type { RefundAuthorizationService } from '../authorization/refund-authorization.service.js';
import type { OutboxService } from '../notify/outbox.service.js';
import type { StaffService } from '../staff/staff.service.js';

export { MAX_REFUNDS_PER_SALE, REFUND_INACTIVITY, waitingUntil } from '../refund-model/refund.js';

/** What a refund needs from the modules below it: decisions and codes, store policies, and who to tell. */
export interface RefundAuthorizationDeps {
  authorization: RefundAuthorizationService;
  policies: RefundPoliciesService;
  staff: StaffService;
  audit: AuditService;
  outbox: OutboxService;
}
