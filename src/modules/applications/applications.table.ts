import type { Selectable } from 'kysely';

export type ApplicationStatus = 'submitted' | 'needs_info' | 'approved' | 'rejected';

/** A merchant's application for terminals (在线申请); the bank account only sealed, the status link only as an HMAC. */
export interface ApplicationsTable {
  id: string;
  status: ApplicationStatus;
  business_name: string;
  /** 统一社会信用代码 (GB 32100-2015), 18 characters, check character verified. */
  credit_code: string;
  legal_rep: string;
  phone: string;
  email: string | null;
  address: string;
  bank_name: string;
  bank_account_sealed: string;
  bank_account_last4: string;
  terminal_count: number;
  rate_plan_id: string;
  status_token_hash: string;
  challenge_hash: string;
  origin_ip: string;
  /** The reason of a rejection, or what the reviewer asked for (needs_info). */
  note: string | null;
  decided_by: string | null;
  decided_at: number | null;
  merchant_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A code sent to an applicant's phone; once verified it yields a proof (HMAC kept) used by one application. */
export interface ApplicationPhoneCodesTable {
  id: string;
  phone: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  verified_at: number | null;
  proof_hash: string | null;
  proof_expires_at: number | null;
  used_at: number | null;
}

export type ApplicationRow = Selectable<ApplicationsTable>;
export type ApplicationPhoneCodeRow = Selectable<ApplicationPhoneCodesTable>;
