import type { Selectable } from 'kysely';

export type RefundKeyPolicy = 'password' | 'pin';

/** Every refund key ever set: per merchant (store_id null) or overriding it for one store. */
export interface RefundKeysTable {
  id: string;
  merchant_id: string;
  store_id: string | null;
  /** 1, 2, 3… within its scope: orders the history even when two keys share a millisecond. */
  version: number;
  policy: RefundKeyPolicy;
  /** Argon2id; the key itself is never stored. */
  key_hash: string;
  /** The user who set it. */
  set_by: string;
  set_at: number;
  /** When a newer key replaced it; null for the active key of its scope. */
  retired_at: number | null;
  /** When the owner was reminded that it will reach its maximum age. */
  reminded_at: number | null;
}

export type RefundKeyRow = Selectable<RefundKeysTable>;
