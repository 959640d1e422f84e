import type { Selectable } from 'kysely';
import type { PaymentMethodType } from '../acquirer/payment-method.js';
import type { AuthorizationFactor, RefundStatus, RefundType } from '../refund-model/refund.types.js';

export type { AuthorizationFactor, RefundStatus, RefundType };

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
  /** JSON AuthorizationFactor[] required in all; parsed by the repository into RefundRecord. */
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
