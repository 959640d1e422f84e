import type { Selectable } from 'kysely';
import { z } from 'zod';
import { jsonColumn } from '../../lib/json-column.js';

/** One row per one-time refund code; the code itself is never stored, only its HMAC bound to the refund. */
export interface RefundCodesTable {
  id: string;
  refund_id: string;
  merchant_id: string;
  /** 1..3: the how-many-th code of this refund. */
  seq: number;
  /** HMAC-SHA256(server key, code ‖ refund id ‖ amount ‖ sale id ‖ terminal id). */
  digest: string;
  /** JSON string[] of masked destinations ("138****8000", "o***@…"). */
  sent_to: string;
  expires_at: number;
  used_at: number | null;
  /** Set when a resend replaced it. */
  superseded_at: number | null;
  created_at: number;
}

/** A store's refund policy as JSON (RefundPolicy); absent = defaults. */
export interface RefundPoliciesTable {
  store_id: string;
  merchant_id: string;
  policy: string;
  updated_by: string | null;
  updated_at: number;
}

/** Refunds started per operator or store and day (Asia/Shanghai), for daily caps counted atomically. */
export interface RefundDailyUsageTable {
  scope: string;
  day: string;
  amount: number;
  count: number;
}

/** `closed`: the refund ended (canceled at the terminal, expired) before anyone decided. */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'closed';

/** A second person's approval (maker-checker); the primary key makes it one per refund. */
export interface RefundApprovalsTable {
  refund_id: string;
  merchant_id: string;
  store_id: string;
  terminal_id: string;
  sale_id: string;
  amount: number;
  reason: string;
  requested_by_operator_id: string;
  status: ApprovalStatus;
  requested_at: number;
  expires_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
}

export type RefundCodeRow = Selectable<RefundCodesTable>;
/** A code as the code works with it: its masked destinations as a list. */
export type RefundCode = Omit<RefundCodeRow, 'sent_to'> & { sent_to: string[] };
export type RefundApprovalRow = Selectable<RefundApprovalsTable>;

/** `sent_to`: the masked destinations a code went to, shown to the cashier. */
export const SentToColumn = jsonColumn(z.array(z.string()));
