import type { Insertable, Selectable } from 'kysely';

export interface MerchantsTable {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  /** JSON RatePlan. */
  rate_plan: string;
  /** The named plan of the catalogue the fees came from (rate-plan-catalogue.ts). */
  rate_plan_id: string;
  refund_key_hash: string | null;
  refund_key_set_at: number | null;
  /** 1: a sale of one store may be refunded at another store's terminal, under the sale store's policy and key. */
  cross_store_refunds: number;
  created_at: number;
}

export interface StoresTable {
  id: string;
  merchant_id: string;
  name: string;
  /** JSON of refund windows in days per method; null = defaults. */
  refund_windows: string | null;
  created_at: number;
}

export type MerchantRow = Selectable<MerchantsTable>;
export type NewMerchant = Insertable<MerchantsTable>;
export type StoreRow = Selectable<StoresTable>;
