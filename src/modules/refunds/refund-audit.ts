import type { AuditEvent } from '../audit/audit.service.js';
import type { RefundRow } from './refunds.table.js';

/**
 * An audit event about a refund: on the refund, from its terminal, by its operator unless another actor is named
 * (a manager approving, the system expiring it).
 */
export function refundAuditEvent(
  refund: Pick<RefundRow, 'id' | 'merchant_id' | 'operator_id' | 'terminal_id'>,
  event: string,
  outcome: AuditEvent['outcome'],
  detail: Record<string, unknown> = {},
  actor: AuditEvent['actor'] = { type: 'operator', id: refund.operator_id },
): AuditEvent {
  return {
    merchantId: refund.merchant_id,
    actor,
    event,
    outcome,
    origin: refund.terminal_id,
    object: { type: 'refund', id: refund.id },
    detail,
  };
}
