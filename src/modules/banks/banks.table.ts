import type { Selectable } from 'kysely';

/** A partner bank (issue 15 item 3): an organisation that may ask for resets for the merchants settling to it. */
export interface BanksTable {
  id: string;
  name: string;
  status: 'active' | 'disabled';
  created_at: number;
}

/** A bank's API credential: the HMAC secret is sealed (it must verify signatures), never hashed, never logged. */
export interface BankCredentialsTable {
  key_id: string;
  bank_id: string;
  secret_sealed: string;
  created_at: number;
  revoked_at: number | null;
}

/** A nonce a bank used; kept longer than the timestamp window so that a replay inside it is refused. */
export interface BankNoncesTable {
  bank_id: string;
  nonce: string;
  seen_at: number;
}

/** The bank a merchant settles to. */
export interface MerchantSettlementBanksTable {
  merchant_id: string;
  bank_id: string;
  set_at: number;
}

export type BankRow = Selectable<BanksTable>;
export type BankCredentialRow = Selectable<BankCredentialsTable>;
