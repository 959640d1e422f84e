import { toIso } from '../../lib/clock.js';
import { type AuthorizationDetails, NO_CODE, type Refund, type RefundRecord } from '../refund-model/index.js';

/** The public Refund of docs/api.md. */
export function toRefund(refund: RefundRecord, details: AuthorizationDetails = NO_CODE): Refund {
  return {
    id: refund.id,
    object: 'refund',
    sale_id: refund.sale_id,
    type: refund.type,
    amount: refund.amount,
    currency: 'CNY',
    reason: refund.reason,
    status: refund.status,
    authorization: { required: refund.required, satisfied: refund.satisfied, ...details },
    terminal_id: refund.terminal_id,
    batch_id: refund.batch_id,
    created_at: toIso(refund.created_at),
    expires_at: toIso(refund.expires_at),
    completed_at: refund.completed_at === null ? null : toIso(refund.completed_at),
    ...(refund.failure_code ? { failure_code: refund.failure_code } : {}),
  };
}
