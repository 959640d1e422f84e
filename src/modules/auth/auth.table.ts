import type { Selectable } from 'kysely';

export interface StaffSessionsTable {
  /** Opaque, non-secret id (`ses_…`) for audit entries and logout; the cookie carries a separate token. */
  id: string;
  /** HMAC of the session token; the token itself is only in the browser's cookie. */
  token_hash: string;
  /** HMAC of the CSRF token bound to this session. */
  csrf_hash: string;
  user_id: string;
  ip: string;
  created_at: number;
  last_seen_at: number;
  reauth_at: number | null;
  /** Absolute end of the session (created_at + 12 h). */
  expires_at: number;
}

export type StaffSessionRow = Selectable<StaffSessionsTable>;

/** Between a right password and the second factor: no session yet, only this short-lived, single-use token's HMAC. */
export interface PendingLoginsTable {
  id: string;
  token_hash: string;
  user_id: string;
  ip: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export type PendingLoginRow = Selectable<PendingLoginsTable>;
