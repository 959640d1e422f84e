import type { Selectable } from 'kysely';

export type SupportCaseKind = 'locked_out_owner' | 'lost_phone' | 'forgotten_key' | 'lost_second_factor';
export type SupportCaseStatus = 'open' | 'checks_recorded' | 'approved';

/** A support case for a merchant's owner; approved only by a second agent; the reset link is kept as an HMAC. */
export interface SupportCasesTable {
  id: string;
  merchant_id: string;
  owner_id: string;
  kind: SupportCaseKind;
  status: SupportCaseStatus;
  opened_by: string;
  approved_by: string | null;
  created_at: number;
  expires_at: number;
  approved_at: number | null;
  reset_token_hash: string | null;
  reset_expires_at: number | null;
  reset_used_at: number | null;
}

export type SupportCheckKind = 'id_document' | 'business_licence' | 'callback';

/** One identity check performed by an agent: a document type and the last 4 characters at most, never a number. */
export interface SupportChecksTable {
  id: string;
  case_id: string;
  kind: SupportCheckKind;
  document_type: string | null;
  last4: string | null;
  /** passed | failed (a call-back: reached | not_reached). */
  outcome: string;
  recorded_by: string;
  recorded_at: number;
}

export type SupportCaseRow = Selectable<SupportCasesTable>;
export type SupportCheckRow = Selectable<SupportChecksTable>;
