import type { Generated, Selectable } from 'kysely';

import { jsonColumn } from '../../lib/json-column.js';
import type { PaymentMethodType } from '../acquirer/payment-method.js';
import type { PublicPaymentMethod } from './sales.schemas.js';

export type { PaymentMethodType };
export type SaleStatus = 'pending' | 'succeeded' | 'declined';

export interface SalesTable {
  id: string;
  merchant_id: string;
  store_id: string;
  terminal_id: string;
  operator_id: string;
  batch_id: string;
  status: SaleStatus;
  amount: number;
  currency: string;
  method: PaymentMethodType;
  /** JSON of the public payment method (card masked, never the number). */
  method_detail: string;
  card_fingerprint: string | null;
  decline_code: string | null;
  acquirer_ref: string | null;
  refunded_amount: Generated<number>;
  reserved_amount: Generated<number>;
  refund_count: Generated<number>;
  voided: Generated<number>;
  created_at: number;
  updated_at: number;
}

export type SaleRow = Selectable<SalesTable>;

/** `method_detail`, the masked payment method: written only by the sale path, read on every answer (so not re-checked). */
export const MethodDetailColumn = jsonColumn<PublicPaymentMethod>();
