import type { AuditService } from '../audit/index.js';
import type { RefundAuthorizationService, RefundPoliciesService } from '../authorization/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffService } from '../staff/index.js';

export { MAX_REFUNDS_PER_SALE, REFUND_INACTIVITY, waitingUntil } from '../refund-model/index.js';

/** What a refund needs from the modules below it: decisions and codes, store policies, and who to tell. */
export interface RefundAuthorizationDeps {
  authorization: RefundAuthorizationService;
  policies: RefundPoliciesService;
  staff: StaffService;
  audit: AuditService;
  outbox: OutboxService;
}
