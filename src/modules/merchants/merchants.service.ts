import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { hashSecret } from '../../lib/hashing.js';
import { newId } from '../../lib/random.js';
import * as repo from './merchants.repository.js';
import type { MerchantRow, StoreRow } from './merchants.table.js';
import {
  DEFAULT_RATE_PLAN,
  DEFAULT_REFUND_WINDOWS,
  type RatePlan,
  RatePlanSchema,
  type RefundWindows,
  RefundWindowsSchema,
} from './rate-plan.js';

export interface Merchant {
  id: string;
  name: string;
  status: MerchantRow['status'];
  ratePlan: RatePlan;
  ratePlanId: string;
  refundKeyHash: string | null;
  refundKeySetAt: number | null;
  crossStoreRefunds: boolean;
}

export interface Store {
  id: string;
  merchantId: string;
  name: string;
  refundWindows: RefundWindows;
}

/** Merchants, their stores and their rate plans. */
export class MerchantsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /** Create a merchant with a rate plan (defaults when omitted). */
  async createMerchant(
    input: { name: string; ratePlan?: RatePlan; ratePlanId?: string },
    executor: Executor = this.db,
  ): Promise<Merchant> {
    const row: MerchantRow = {
      id: newId('mch'),
      name: input.name,
      status: 'active',
      rate_plan: JSON.stringify(RatePlanSchema.parse(input.ratePlan ?? DEFAULT_RATE_PLAN)),
      rate_plan_id: input.ratePlanId ?? 'standard',
      refund_key_hash: null,
      refund_key_set_at: null,
      cross_store_refunds: 0,
      created_at: this.clock.now(),
    };
    await repo.insertMerchant(executor, row);
    return toMerchant(row);
  }

  /** Give a merchant a named plan's fees (the caller audits). */
  async assignRatePlan(executor: Executor, merchantId: string, plan: { id: string; fees: RatePlan }): Promise<void> {
    await repo.updateRatePlan(executor, merchantId, plan.id, JSON.stringify(RatePlanSchema.parse(plan.fees)));
  }

  /** The stores of a merchant, oldest first. */
  async storesOf(merchantId: string, executor: Executor = this.db): Promise<Store[]> {
    return (await repo.storesOfMerchant(executor, merchantId)).map(toStore);
  }

  /** A merchant by id, or undefined. */
  async findMerchant(id: string, executor: Executor = this.db): Promise<Merchant | undefined> {
    const row = await repo.findMerchant(executor, id);
    return row && toMerchant(row);
  }

  /** A store by id, or undefined; callers check the merchant. */
  async findStore(id: string, executor: Executor = this.db): Promise<Store | undefined> {
    const row = await repo.findStore(executor, id);
    return row && toStore(row);
  }

  /** Create a store of a merchant; refund windows default per method. */
  async createStore(
    merchantId: string,
    input: { name: string; refundWindows?: RefundWindows },
    executor: Executor = this.db,
  ): Promise<Store> {
    const row: StoreRow = {
      id: newId('sto'),
      merchant_id: merchantId,
      name: input.name,
      refund_windows: input.refundWindows ? JSON.stringify(RefundWindowsSchema.parse(input.refundWindows)) : null,
      created_at: this.clock.now(),
    };
    await repo.insertStore(executor, row);
    return toStore(row);
  }

  async getMerchant(id: string): Promise<Merchant> {
    const row = await repo.findMerchant(this.db, id);
    if (!row) throw AppError.from(CommonErrors, 'NOT_FOUND');
    return toMerchant(row);
  }

  /** Allow or refuse refunds of one store's sales at other stores' terminals (the caller audits). */
  async setCrossStoreRefunds(trx: Executor, merchantId: string, allowed: boolean): Promise<void> {
    await repo.updateCrossStoreRefunds(trx, merchantId, allowed);
  }

  async getStore(id: string): Promise<Store> {
    const row = await repo.findStore(this.db, id);
    if (!row) throw AppError.from(CommonErrors, 'NOT_FOUND');
    return toStore(row);
  }

  /** Set the merchant's refund key (退款密钥), hashed with Argon2id. Strength rules live in the authorization module. */
  async setRefundKey(merchantId: string, refundKey: string): Promise<void> {
    await repo.updateRefundKey(this.db, merchantId, await hashSecret(refundKey), this.clock.now());
  }
}

function toMerchant(row: MerchantRow): Merchant {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    ratePlan: RatePlanSchema.parse(JSON.parse(row.rate_plan)),
    ratePlanId: row.rate_plan_id,
    refundKeyHash: row.refund_key_hash,
    refundKeySetAt: row.refund_key_set_at,
    crossStoreRefunds: Number(row.cross_store_refunds) === 1,
  };
}

function toStore(row: StoreRow): Store {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    name: row.name,
    refundWindows: row.refund_windows
      ? RefundWindowsSchema.parse(JSON.parse(row.refund_windows))
      : DEFAULT_REFUND_WINDOWS,
  };
}
