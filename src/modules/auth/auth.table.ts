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
