import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { together } from '../../lib/together.js';
import type { StaffSession } from '../access/index.js';
import type { PaymentMethodType } from '../acquirer/index.js';
import type { AuditService } from '../audit/index.js';
import type { MerchantsService, RefundWindows } from '../merchants/index.js';
import { AuthorizationErrors } from './authorization.errors.js';
import * as repo from './policies.repository.js';
import { DEFAULT_REFUND_POLICY, type RefundPolicy, RefundPolicySchema, shanghaiDay } from './refund-policy.js';

/** A store's policy with the windows resolved (the store's own windows when the policy leaves them out). */
export interface EffectivePolicy extends RefundPolicy {
  windows: RefundWindows;
}

/** The policy as the back office sees it. */
export interface RefundPolicyView {
  object: 'refund_policy';
  store_id: string;
  policy: RefundPolicy;
  effective_windows_days: RefundWindows;
  updated_at: string | null;
  updated_by: string | null;
}

/** Refund policies per store (the mall case), edited by the owner; daily caps counted atomically. */
export class RefundPoliciesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly merchants: MerchantsService,
    private readonly audit: AuditService,
  ) {}

  /** The policy in force for a store. */
  async effective(storeId: string): Promise<EffectivePolicy> {
    const [store, row] = await together(this.merchants.getStore(storeId), repo.findPolicy(this.db, storeId));
    const policy = row ? RefundPolicySchema.parse(JSON.parse(row.policy)) : DEFAULT_REFUND_POLICY;
    return { ...policy, windows: policy.windows_days ?? store.refundWindows };
  }

  /** The policy of a store of the session's merchant (owner, or a manager of that store). */
  async get(session: StaffSession, storeId: string): Promise<RefundPolicyView> {
    await this.storeOf(session, storeId);
    return this.view(storeId);
  }

  /** Replace a store's policy (owner, re-authenticated); audited. */
  async update(session: StaffSession, storeId: string, input: unknown): Promise<RefundPolicyView> {
    const store = await this.storeOf(session, storeId);
    const parsed = RefundPolicySchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw AppError.from(AuthorizationErrors, 'REFUND_POLICY_INVALID', {
        param: issue?.path.join('.') ?? '',
        detail: issue?.message ?? '',
      });
    }
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await repo.upsertPolicy(trx, {
        store_id: storeId,
        merchant_id: store.merchantId,
        policy: JSON.stringify(parsed.data),
        updated_by: session.userId,
        updated_at: now,
      });
      await this.audit.record(trx, {
        merchantId: store.merchantId,
        actor: { type: 'user', id: session.userId },
        event: 'refund_policy.updated',
        outcome: 'success',
        origin: session.ip,
        object: { type: 'store', id: storeId },
        detail: { policy: parsed.data },
      });
    });
    return this.view(storeId);
  }

  /** Whether sales of one store may be refunded at other stores' terminals (default no). */
  async crossStoreAllowed(merchantId: string): Promise<boolean> {
    return (await this.merchants.getMerchant(merchantId)).crossStoreRefunds;
  }

  /** The owner allows or refuses cross-store refunds (re-authenticated route); audited. */
  async setCrossStore(
    session: StaffSession,
    merchantId: string,
    allowed: boolean,
  ): Promise<{ merchant_id: string; cross_store_refunds: boolean }> {
    if (session.merchantId !== merchantId) throw AppError.from(CommonErrors, 'NOT_FOUND');
    await this.db.transaction().execute(async (trx) => {
      await this.merchants.setCrossStoreRefunds(trx, merchantId, allowed);
      await this.audit.record(trx, {
        merchantId,
        actor: { type: 'user', id: session.userId },
        event: 'merchant.refund_settings_updated',
        outcome: 'success',
        origin: session.ip,
        object: { type: 'merchant', id: merchantId },
        detail: { cross_store_refunds: allowed },
      });
    });
    return { merchant_id: merchantId, cross_store_refunds: allowed };
  }

  /**
   * Count a new refund against the operator's and the store's daily caps inside the caller's transaction; refuses with
   * a code when a cap would be passed (and the caller's transaction then rolls back).
   */
  async reserveUsage(
    trx: Executor,
    policy: RefundPolicy,
    input: { operatorId: string; storeId: string; amount: number; at: number },
  ): Promise<void> {
    const day = shanghaiDay(input.at);
    const { caps } = policy;
    const scopes = [
      {
        scope: `operator:${input.operatorId}`,
        maxAmount: caps.operator_daily_amount,
        maxCount: caps.operator_daily_count,
        who: 'OPERATOR' as const,
      },
      {
        scope: `store:${input.storeId}`,
        maxAmount: caps.store_daily_amount,
        maxCount: caps.store_daily_count,
        who: 'STORE' as const,
      },
    ];
    for (const s of scopes) {
      const ok = await repo.addUsage(trx, {
        scope: s.scope,
        day,
        amount: input.amount,
        maxAmount: s.maxAmount,
        maxCount: s.maxCount,
      });
      if (ok) continue;
      const used = (await repo.usageOf(trx, s.scope, day)) ?? { amount: 0, count: 0 };
      const countHit = s.maxCount !== null && used.count + 1 > s.maxCount;
      const code = `${s.who}_DAILY_${countHit ? 'COUNT' : 'AMOUNT'}_EXCEEDED` as const;
      throw AppError.from(
        AuthorizationErrors,
        code,
        countHit ? { limit: s.maxCount, used: used.count } : { limit: s.maxAmount, used: used.amount },
      );
    }
  }

  /** Give a refund's amount back to the caps when it ended without money moving. */
  async releaseUsage(
    trx: Executor,
    refund: { operator_id: string; store_id: string; amount: number; created_at: number },
  ): Promise<void> {
    const day = shanghaiDay(refund.created_at);
    await repo.subtractUsage(trx, { scope: `operator:${refund.operator_id}`, day, amount: refund.amount });
    await repo.subtractUsage(trx, { scope: `store:${refund.store_id}`, day, amount: refund.amount });
  }

  /** The tender a refund goes back to: the original one, or cash where the policy allows it; checks the cash cap. */
  tenderFor(
    policy: RefundPolicy,
    saleMethod: PaymentMethodType,
    refundTo: 'original' | 'cash' | undefined,
    amount: number,
  ): PaymentMethodType {
    const method = refundTo === 'cash' ? 'cash' : saleMethod;
    if (method !== saleMethod && policy.original_tender_only) {
      throw AppError.from(AuthorizationErrors, 'REFUND_TENDER_NOT_ALLOWED', {
        param: 'refund_to',
        original: saleMethod,
      });
    }
    if (method === 'cash' && policy.cash_refund_cap !== null && amount > policy.cash_refund_cap) {
      throw AppError.from(AuthorizationErrors, 'CASH_REFUND_CAP_EXCEEDED', {
        param: 'amount',
        limit: policy.cash_refund_cap,
      });
    }
    return method;
  }

  private async storeOf(session: StaffSession, storeId: string) {
    const store = await this.merchants.getStore(storeId).catch(() => undefined);
    const inScope =
      store &&
      session.merchantId === store.merchantId &&
      (session.storeIds === null || session.storeIds.includes(storeId));
    if (!store || !inScope) throw AppError.from(CommonErrors, 'NOT_FOUND');
    return store;
  }

  private async view(storeId: string): Promise<RefundPolicyView> {
    const row = await repo.findPolicy(this.db, storeId);
    const effective = await this.effective(storeId);
    const { windows, ...policy } = effective;
    return {
      object: 'refund_policy',
      store_id: storeId,
      policy,
      effective_windows_days: windows,
      updated_at: row ? toIso(row.updated_at) : null,
      updated_by: row?.updated_by ?? null,
    };
  }
}
