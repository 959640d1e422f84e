import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { formatYuan } from '../../lib/money.js';
import { newOrderedId } from '../../lib/random.js';
import { together } from '../../lib/together.js';
import type { StaffSession } from '../access/index.js';
import {
  destinationsOf,
  type EffectivePolicy,
  MAX_CODE_FAILURES,
  MAX_CODES_PER_REFUND,
  requiredFactors,
  velocityWindowMs,
} from '../authorization/index.js';
import type { IdempotencyScope, IdempotencyService } from '../idempotency/index.js';
import { refundWindowMs } from '../merchants/index.js';
import type { RefundKeysService } from '../refund-keys/index.js';
import { MAX_REFUNDS_PER_SALE, REFUND_INACTIVITY, type RefundRecord, waitingUntil } from '../refund-model/index.js';
import type { SaleRow } from '../sales/index.js';
import * as sales from '../sales/index.js';
import type { SettlementsService } from '../settlements/index.js';
import type { StaffUser } from '../staff/index.js';
import type { OperatorContext, TerminalContext } from '../terminals/index.js';
import type { WebhooksService } from '../webhooks/index.js';
import type { RefundAuthorizationDeps } from './refund-deps.js';
import type { RefundLedger } from './refund-ledger.js';
import { RefundProgress } from './refund-progress.js';
import { toRefund } from './refund-view.js';
import { RefundErrors } from './refunds.errors.js';
import * as repo from './refunds.repository.js';
import type { AuthorizeRefundBody, CreateRefundBody, Refund } from './refunds.schemas.js';

export { MAX_REFUNDS_PER_SALE, REFUND_INACTIVITY };

/** Refunds and voids (退货/撤销): reservation against the capture, policies, authorization, and their end states. */
export class RefundsService {
  private readonly progress: RefundProgress;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly settlements: SettlementsService,
    private readonly idempotency: IdempotencyService,
    private readonly ledger: RefundLedger,
    private readonly refundKeys: RefundKeysService,
    private readonly authz: RefundAuthorizationDeps,
    private readonly webhooks: WebhooksService,
  ) {
    this.progress = new RefundProgress(db, clock, ledger, authz);
  }

  /** Start a refund: apply the store's policy, reserve its amount atomically, issue a code if needed, and wait. */
  async createRefund(
    terminal: TerminalContext,
    operator: OperatorContext,
    input: CreateRefundBody,
    scope: IdempotencyScope,
  ): Promise<Refund> {
    return this.idempotency.once(scope, () => this.startRefund(terminal, operator, input, scope));
  }

  private async startRefund(
    terminal: TerminalContext,
    operator: OperatorContext,
    input: CreateRefundBody,
    scope: IdempotencyScope,
  ): Promise<Refund> {
    // Read before the transaction (on SQLite a query outside it would wait for the one connection it holds), all at
    // once: the terminal's store's policy and key are read beside the sale, as a refund is nearly always of that store.
    const [, sale, users, ownPolicy, ownKey] = await together(
      this.authz.authorization.lockouts.assertUnlocked(terminal),
      sales.findSale(this.db, input.sale_id, terminal.merchantId),
      this.authz.staff.usersOfMerchant(terminal.merchantId),
      this.authz.policies.effective(terminal.storeId),
      this.refundKeys.status(terminal.merchantId, terminal.storeId),
    );
    if (!sale) throw AppError.from(RefundErrors, 'SALE_NOT_FOUND', { param: 'sale_id' });
    // A refund follows its sale's store: that store's policy, key and approvers (docs/security.md "Cross-store refunds").
    const storeId = sale.store_id;
    const ownStore = storeId === terminal.storeId;
    if (!ownStore && !(await this.authz.policies.crossStoreAllowed(terminal.merchantId)))
      throw AppError.from(RefundErrors, 'REFUND_OTHER_STORE', { param: 'sale_id' });
    const [policy, key] = ownStore
      ? [ownPolicy, ownKey]
      : await together(this.authz.policies.effective(storeId), this.refundKeys.status(terminal.merchantId, storeId));
    await this.checkWindow(sale, policy);
    const method = this.authz.policies.tenderFor(policy, sale.method, input.refund_to, input.amount);
    const required = requiredFactors(policy, input.amount, key);
    const codeContext = required.includes('one_time_code')
      ? await this.authz.authorization.codeContext(storeId, users)
      : undefined;

    const isVoid = input.type === 'void';
    const now = this.clock.now();
    const row: RefundRecord = {
      id: newOrderedId('ref', now),
      sale_id: sale.id,
      merchant_id: terminal.merchantId,
      store_id: storeId,
      terminal_id: terminal.id,
      operator_id: operator.id,
      type: input.type,
      amount: input.amount,
      method,
      reason: input.reason,
      status: 'requires_authorization',
      required,
      satisfied: [],
      batch_id: null,
      failure_code: null,
      created_at: now,
      updated_at: now,
      expires_at: now + REFUND_INACTIVITY,
      completed_at: null,
      codes_issued: 0,
    };
    return this.db.transaction().execute(async (trx) => {
      await this.idempotency.claim(trx, scope, row.id);
      if (isVoid && !(sale.terminal_id === terminal.id && (await this.settlements.isOpenBatch(trx, sale.batch_id)))) {
        throw AppError.from(RefundErrors, 'VOID_NOT_ALLOWED', { param: 'type' });
      }
      const reserved = await sales.reserveRefund(trx, {
        saleId: sale.id,
        merchantId: terminal.merchantId,
        amount: input.amount,
        maxRefunds: MAX_REFUNDS_PER_SALE,
        fullVoid: isVoid,
        now,
      });
      if (!reserved) throw await this.whyNotReserved(trx, sale.id, terminal.merchantId, isVoid);
      await this.authz.policies.reserveUsage(trx, policy, {
        operatorId: operator.id,
        storeId,
        amount: input.amount,
        at: now,
      });
      await repo.insertRefund(trx, row);
      await this.recordRequested(trx, row, operator);
      let body = toRefund(row);
      if (codeContext) {
        await repo.countCodeIssued(trx, row.id, MAX_CODES_PER_REFUND);
        const code = await this.authz.authorization.codes.issue(trx, row, 1, codeContext);
        const created = { ...row, codes_issued: 1, expires_at: waitingUntil(now, code.expires_at) };
        await repo.transition(trx, row.id, ['requires_authorization'], { expires_at: created.expires_at });
        body = toRefund(created, {
          code_sent_to: code.sent_to,
          code_expires_at: toIso(code.expires_at),
          attempts_left: MAX_CODE_FAILURES,
        });
      }
      await this.velocityCheck(trx, row, policy, users);
      await this.webhooks.emitEach(trx, row.merchant_id, [
        { event: 'refund.created', data: body },
        ...(body.status === 'requires_authorization'
          ? [{ event: 'refund.requires_authorization' as const, data: body }]
          : []),
      ]);
      await this.idempotency.complete(trx, scope, body);
      return body;
    });
  }

  /** A refund of this merchant, expired first if its time ran out. */
  async getRefund(terminal: TerminalContext, refundId: string): Promise<Refund> {
    return this.view(await this.loadCurrent(terminal, refundId));
  }

  /** The refunds of a sale, oldest first. */
  async refundsOfSale(saleId: string): Promise<Refund[]> {
    return (await repo.refundsOfSale(this.db, saleId)).map((row) => toRefund(row));
  }

  /** Authorize a waiting refund with the refund key and/or the one-time code; completes it when nothing else is needed. */
  async authorize(terminal: TerminalContext, refundId: string, input: AuthorizeRefundBody): Promise<Refund> {
    const refund = await this.loadOwn(terminal, refundId);
    const booked = await this.progress.authorize(terminal, refund, input);
    return this.view(booked ?? (await this.loadCurrent(terminal, refundId)));
  }

  /** Issue a new one-time code for a waiting refund; the old one stops working (at most 3 per refund). */
  async resendCode(terminal: TerminalContext, refundId: string): Promise<Refund> {
    const refund = await this.loadOwn(terminal, refundId);
    await this.progress.resendCode(terminal, refund);
    return this.view(await this.loadCurrent(terminal, refundId));
  }

  /** Cancel a waiting refund at the terminal; its reservation is released. */
  async cancel(terminal: TerminalContext, refundId: string): Promise<Refund> {
    const refund = await this.loadOwn(terminal, refundId);
    if (!(await this.ledger.release(refund, 'canceled', undefined, { type: 'operator', id: refund.operator_id }))) {
      throw AppError.from(RefundErrors, 'REFUND_NOT_CANCELABLE', { status: refund.status });
    }
    return this.view(await this.loadCurrent(terminal, refundId));
  }

  /** Approve a refund waiting for a second person (back office); completes it. */
  async approve(session: StaffSession, refundId: string): Promise<Refund> {
    const refund = session.merchantId ? await repo.findRefund(this.db, refundId, session.merchantId) : undefined;
    await this.progress.approve(session, refundId, refund);
    return this.view(await this.reload(refund as RefundRecord));
  }

  /** Deny it with a reason: canceled, its reservation released. */
  async deny(session: StaffSession, refundId: string, reason: string): Promise<Refund> {
    const refund = session.merchantId ? await repo.findRefund(this.db, refundId, session.merchantId) : undefined;
    await this.progress.deny(session, refundId, refund, reason);
    return this.view(await this.reload(refund as RefundRecord));
  }

  private async reload(refund: RefundRecord): Promise<RefundRecord> {
    return (await repo.findRefund(this.db, refund.id, refund.merchant_id)) ?? refund;
  }

  private async view(row: RefundRecord): Promise<Refund> {
    return toRefund(row, await this.authz.authorization.codes.details(row));
  }

  private async recordRequested(trx: Executor, row: RefundRecord, operator: OperatorContext): Promise<void> {
    await this.authz.audit.record(trx, {
      merchantId: row.merchant_id,
      actor: { type: 'operator', id: operator.id },
      event: 'refund.requested',
      outcome: 'info',
      origin: row.terminal_id,
      object: { type: 'refund', id: row.id },
      detail: {
        sale_id: row.sale_id,
        type: row.type,
        amount: row.amount,
        method: row.method,
        required: row.required,
      },
    });
  }

  /** The owner hears of an operator starting many refunds in a short time (default 3 in 10 minutes). */
  private async velocityCheck(
    trx: Executor,
    row: RefundRecord,
    policy: EffectivePolicy,
    users: StaffUser[],
  ): Promise<void> {
    const started = await repo.countStartedByOperator(trx, row.operator_id, row.created_at - velocityWindowMs(policy));
    // Exactly at the threshold, so one burst gives one alert rather than one per refund. The operator's daily-usage row,
    // upserted earlier in this transaction, serializes one operator's concurrent refunds, so the count is exact.
    if (started !== policy.velocity.count) return;
    const params = {
      operator_id: row.operator_id,
      store_id: row.store_id,
      terminal: row.terminal_id,
      count: started,
      window_minutes: policy.velocity.window_minutes,
      last_amount: formatYuan(row.amount),
    };
    for (const to of destinationsOf(users.filter((u) => u.role === 'owner'))) {
      await this.authz.outbox.enqueue(trx, {
        merchantId: row.merchant_id,
        channel: to.channel,
        recipient: to.recipient,
        template: 'velocity_alert',
        locale: to.locale,
        params,
      });
    }
    await this.authz.audit.record(trx, {
      merchantId: row.merchant_id,
      actor: { type: 'system' },
      event: 'refund.velocity_alert',
      outcome: 'info',
      origin: row.terminal_id,
      object: { type: 'operator', id: row.operator_id },
      detail: params,
    });
  }

  /** Load a refund of this merchant that must belong to this terminal (it is bound to it). */
  private async loadOwn(terminal: TerminalContext, refundId: string): Promise<RefundRecord> {
    const refund = await this.loadCurrent(terminal, refundId);
    if (refund.terminal_id !== terminal.id) throw AppError.from(RefundErrors, 'REFUND_OTHER_TERMINAL');
    return refund;
  }

  private async loadCurrent(terminal: TerminalContext, refundId: string): Promise<RefundRecord> {
    const refund = await repo.findRefund(this.db, refundId, terminal.merchantId);
    if (!refund) throw AppError.from(RefundErrors, 'REFUND_NOT_FOUND');
    const waiting = refund.status === 'requires_authorization' || refund.status === 'pending_approval';
    if (waiting && refund.expires_at <= this.clock.now()) {
      await this.ledger.release(refund, 'expired');
      return (await repo.findRefund(this.db, refundId, terminal.merchantId)) ?? refund;
    }
    return refund;
  }

  private async checkWindow(sale: SaleRow, policy: EffectivePolicy): Promise<void> {
    if (this.clock.now() > sale.created_at + refundWindowMs(policy.windows, sale.method)) {
      throw AppError.from(RefundErrors, 'REFUND_WINDOW_EXPIRED', { param: 'sale_id' });
    }
  }

  /** Explain a refused reservation; only for the message: the refusal itself came from the atomic statement. */
  private async whyNotReserved(trx: Executor, saleId: string, merchantId: string, isVoid: boolean): Promise<AppError> {
    const sale = await sales.findSale(trx, saleId, merchantId);
    if (sale?.status !== 'succeeded' || sale.voided)
      return AppError.from(RefundErrors, 'SALE_NOT_REFUNDABLE', { param: 'sale_id' });
    if (isVoid) return AppError.from(RefundErrors, 'VOID_NOT_ALLOWED', { param: 'amount' });
    if (sale.refund_count >= MAX_REFUNDS_PER_SALE) return AppError.from(RefundErrors, 'REFUND_LIMIT_REACHED');
    const refundable = sale.amount - sale.refunded_amount - sale.reserved_amount;
    return AppError.from(RefundErrors, 'REFUND_EXCEEDS_REFUNDABLE', { param: 'amount', refundable_amount: refundable });
  }
}
