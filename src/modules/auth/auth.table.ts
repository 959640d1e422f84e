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

export interface AttemptCountersTable {
  /** HMAC of what is counted (a login id, a user's key changes), so typed-in login ids are not kept in clear. */
  subject: string;
  failures: number;
  window_start: number;
  locked_until: number | null;
}

export type StaffSessionRow = Selectable<StaffSessionsTable>;
export type AttemptCounterRow = Selectable<AttemptCountersTable>;
