import type { Selectable } from 'kysely';

/** An invitation to set one's own password (new staff, a merchant's owner); single use, expiring. */
export interface InvitationsTable {
  id: string;
  /** HMAC of the token; the token itself is only in the invitation message. */
  token_hash: string;
  user_id: string;
  merchant_id: string | null;
  /** The user who invited (null: the platform, e.g. the CLI). */
  invited_by: string | null;
  /** JSON string[] of masked destinations. */
  sent_to: string;
  expires_at: number;
  used_at: number | null;
  /** Set when a newer invitation replaced it, or the person was disabled. */
  revoked_at: number | null;
  created_at: number;
}

export type InvitationRow = Selectable<InvitationsTable>;
