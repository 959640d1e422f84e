import { toIso } from '../../lib/clock.js';
import type { Refund } from './refunds.schemas.js';
import type { AuthorizationFactor, RefundRow } from './refunds.table.js';

/** Details the authorization module adds to the `authorization` block (code destinations, expiry, attempts). */
export interface AuthorizationDetails {
  code_sent_to: string[];
  code_expires_at: string | null;
  attempts_left: number | null;
}

export const NO_CODE: AuthorizationDetails = { code_sent_to: [], code_expires_at: null, attempts_left: null };

/** The public Refund of API.md. */
export function toRefund(row: RefundRow, details: AuthorizationDetails = NO_CODE): Refund {
  return {
    id: row.id,
    object: 'refund',
    sale_id: row.sale_id,
    type: row.type,
    amount: row.amount,
    currency: 'CNY',
    reason: row.reason,
    status: row.status,
    authorization: {
      required: JSON.parse(row.required) as AuthorizationFactor[],
      satisfied: JSON.parse(row.satisfied) as AuthorizationFactor[],
      ...details,
    },
    terminal_id: row.terminal_id,
    batch_id: row.batch_id,
    created_at: toIso(row.created_at),
    expires_at: toIso(row.expires_at),
    completed_at: row.completed_at === null ? null : toIso(row.completed_at),
    ...(row.failure_code ? { failure_code: row.failure_code } : {}),
  };
}
