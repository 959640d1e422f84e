import type { Selectable } from 'kysely';
import type { PaymentMethodType } from '../sales/sales.table.js';

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

export interface RefundsTable {
  id: string;
  sale_id: string;
  merchant_id: string;
  store_id: string;
  terminal_id: string;
  operator_id: string;
  type: RefundType;
  amount: number;
  method: PaymentMethodType;
  reason: string;
  status: RefundStatus;
  /** JSON AuthorizationFactor[] still required in all. */
  required: string;
  /** JSON AuthorizationFactor[] already satisfied. */
  satisfied: string;
  batch_id: string | null;
  failure_code: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  completed_at: number | null;
  /** One-time codes issued for this refund (at most 3). */
  codes_issued: number;
}

export type RefundRow = Selectable<RefundsTable>;
