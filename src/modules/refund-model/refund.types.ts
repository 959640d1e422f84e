// The words and the shape of a refund, with no dependencies but a type, so that table types can use them.
import type { PaymentMethodType } from '../acquirer/payment-method.js';

export type RefundType = 'refund' | 'void';
export type RefundStatus =
  | 'requires_authorization'
  | 'pending_approval'
  | 'processing'
  | 'succeeded'
  | 'canceled'
  | 'expired'
  | 'failed';
export type AuthorizationFactor = 'refund_key' | 'one_time_code' | 'approval';

/**
 * A refund as the code works with it: its row with the factor lists parsed, once, by the refunds repository.
 * The bottom floor of the refund path: the authorization module decides on it, the refunds module applies decisions.
 */
export interface RefundRecord {
  id: string;
  sale_id: string;
  merchant_id: string;
  /** The sale's store: its policy, key and approvers decide the refund (docs/security.md "Cross-store refunds"). */
  store_id: string;
  terminal_id: string;
  operator_id: string;
  type: RefundType;
  amount: number;
  method: PaymentMethodType;
  reason: string;
  status: RefundStatus;
  /** Every factor this refund needs, in the order they are asked for. */
  required: AuthorizationFactor[];
  /** The factors already given. */
  satisfied: AuthorizationFactor[];
  batch_id: string | null;
  failure_code: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  completed_at: number | null;
  /** One-time codes issued for this refund (at most 3). */
  codes_issued: number;
}
