import type { Selectable } from 'kysely';

export type SecondFactorKind = 'totp' | 'sms';

/** A person's second factor: a TOTP seed (sealed) or SMS to the profile phone; pending until its first code is checked. */
export interface SecondFactorsTable {
  id: string;
  user_id: string;
  kind: SecondFactorKind;
  status: 'pending' | 'active';
  /** The TOTP seed (base32), sealed with the server key; null for SMS. */
  secret_sealed: string | null;
  created_at: number;
  confirmed_at: number | null;
}

/** TOTP steps already accepted for a factor: each code is accepted once (RFC 6238 §5.2). */
export interface TotpUsedStepsTable {
  factor_id: string;
  step: number;
  used_at: number;
}

/** Ten single-use backup codes per person, HMACed; a new set deletes the old one. */
export interface BackupCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export type AccountCodePurpose = 'login_sms' | 'enrol_sms' | 'reset_sms' | 'reset_email' | 'verify_phone';

/** One-time codes and tokens sent to a person (second-factor SMS, password reset), HMACed, bound, single use. */
export interface AccountCodesTable {
  id: string;
  user_id: string;
  purpose: AccountCodePurpose;
  /** What the code is valid for: a pending login, a factor being enrolled, the user (reset), or a new phone number. */
  bound_to: string;
  code_hash: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export type SecondFactorRow = Selectable<SecondFactorsTable>;
export type AccountCodeRow = Selectable<AccountCodesTable>;
