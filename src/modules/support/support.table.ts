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
  /** The agent who opened the case; null when a partner bank opened it (bank_id). */
  opened_by: string | null;
  approved_by: string | null;
  created_at: number;
  expires_at: number;
  approved_at: number | null;
  reset_token_hash: string | null;
  reset_expires_at: number | null;
  reset_used_at: number | null;
  /** A case a partner bank opened, with the verification its branch stated (document type and last 4 only). */
  bank_id: string | null;
  bank_branch: string | null;
  bank_officer: string | null;
  bank_document_type: string | null;
  bank_last4: string | null;
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

/** A new phone named at the reset of a lost-phone case: it takes effect only at effective_at, announced first. */
export interface SupportPhoneChangesTable {
  id: string;
  case_id: string;
  user_id: string;
  new_phone: string;
  created_at: number;
  effective_at: number;
  applied_at: number | null;
  canceled_at: number | null;
}

export type SupportPhoneChangeRow = Selectable<SupportPhoneChangesTable>;
