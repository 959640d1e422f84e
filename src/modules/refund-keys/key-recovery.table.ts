import type { Selectable } from 'kysely';

/** A code that proves the owner's registered phone before a forgotten refund key is replaced: HMACed, bound, once. */
export interface RefundKeyRecoveryCodesTable {
  id: string;
  user_id: string;
  merchant_id: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export type RefundKeyRecoveryCodeRow = Selectable<RefundKeyRecoveryCodesTable>;
