import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type Clock, MINUTE } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/random.js';
import type { IdempotencyScope, IdempotencyService } from '../idempotency/idempotency.service.js';
import type { MerchantsService } from '../merchants/merchants.service.js';
import type { RefundKeysService } from '../refund-keys/refund-keys.service.js';
import { refundWindowMs } from '../merchants/rate-plan.js';
import * as sales from '../sales/sales.repository.js';
import type { SaleRow } from '../sales/sales.table.js';
import type { SettlementsService } from '../settlements/settlements.service.js';
import type { OperatorContext, TerminalContext } from '../terminals/terminals.service.js';
import type { RefundLedger } from './refund-ledger.js';
import { toRefund } from './refund-view.js';
import { RefundErrors } from './refunds.errors.js';
import * as repo from './refunds.repository.js';
import type { AuthorizeRefundBody, CreateRefundBody, Refund } from './refunds.schemas.js';
import type { AuthorizationFactor, RefundRow } from './refunds.table.js';

export const MAX_REFUNDS_PER_SALE = 50;
/** A waiting refund expires after this much inactivity. */
export const REFUND_INACTIVITY = 15 * MINUTE;

/** Refunds and voids (退货/撤销): reservation against the capture, authorization, and their end states. */
export class RefundsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly merchants: MerchantsService,
    private readonly settlements: SettlementsService,
    private readonly idempotency: IdempotencyService,
    private readonly ledger: RefundLedger,
    private readonly refundKeys: RefundKeysService,
  ) {}

  /** Start a refund: reserve its amount atomically and wait for authorization. */
  async createRefund(
    terminal: TerminalContext,
    operator: OperatorContext,
    input: CreateRefundBody,
    scope: IdempotencyScope,
  ): Promise<{ statusCode: number; body: Refund }> {
    const prior = await this.idempotency.prior(scope);
    if (prior?.kind === 'replay') return { statusCode: prior.statusCode, body: prior.body as Refund };

    const sale = await sales.findSale(this.db, input.sale_id, terminal.merchantId);
    if (!sale) throw AppError.from(RefundErrors, 'SALE_NOT_FOUND', { param: 'sale_id' });
    await this.checkWindow(sale);
    const isVoid = input.type === 'void';
    const now = this.clock.now();
    const row: RefundRow = {
      id: newId('ref'),
      sale_id: sale.id,
      merchant_id: terminal.merchantId,
      store_id: terminal.storeId,
      terminal_id: terminal.id,
      operator_id: operator.id,
      type: input.type,
      amount: input.amount,
      method: sale.method,
      reason: input.reason,
      status: 'requires_authorization',
      required: JSON.stringify(['refund_key'] satisfies AuthorizationFactor[]),
      satisfied: '[]',
      batch_id: null,
      failure_code: null,
      created_at: now,
      updated_at: now,
      expires_at: now + REFUND_INACTIVITY,
      completed_at: null,
    };
    try {
      return await this.db.transaction().execute(async (trx) => {
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
        await repo.insertRefund(trx, row);
        const body = toRefund(row);
        await this.idempotency.complete(trx, scope, 201, body);
        return { statusCode: 201, body };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await this.idempotency.prior(scope);
      if (raced?.kind === 'replay') return { statusCode: raced.statusCode, body: raced.body as Refund };
      throw error;
    }
  }

  /** A refund of this merchant, expired first if its time ran out. */
  async getRefund(terminal: TerminalContext, refundId: string): Promise<Refund> {
    return toRefund(await this.loadCurrent(terminal, refundId));
  }

  /** The refunds of a sale, oldest first. */
  async refundsOfSale(saleId: string): Promise<Refund[]> {
    return (await repo.refundsOfSale(this.db, saleId)).map((row) => toRefund(row));
  }

  /** Authorize a waiting refund with the merchant's refund key; completes it when nothing else is needed. */
  async authorize(terminal: TerminalContext, refundId: string, input: AuthorizeRefundBody): Promise<Refund> {
    const refund = await this.loadOwn(terminal, refundId);
    if (refund.status !== 'requires_authorization') {
      throw AppError.from(RefundErrors, refund.status === 'expired' ? 'REFUND_EXPIRED' : 'REFUND_NOT_AUTHORIZABLE', { status: refund.status });
    }
    const required = JSON.parse(refund.required) as AuthorizationFactor[];
    const satisfied = new Set(JSON.parse(refund.satisfied) as AuthorizationFactor[]);
    if (required.includes('refund_key') && !satisfied.has('refund_key')) {
      if (input.refund_key === undefined) throw AppError.from(RefundErrors, 'AUTHORIZATION_FACTOR_MISSING', { param: 'refund_key' });
      const key = await this.refundKeys.status(terminal.merchantId, terminal.storeId);
      if (!key.set) throw AppError.from(RefundErrors, 'REFUND_KEY_NOT_SET');
      if (!(await this.refundKeys.verify(terminal.merchantId, terminal.storeId, input.refund_key))) throw AppError.from(RefundErrors, 'REFUND_KEY_INVALID', { param: 'refund_key' });
      satisfied.add('refund_key');
    }
    if (required.every((factor) => satisfied.has(factor))) {
      if (!(await this.ledger.complete(refund, [...satisfied]))) {
        throw AppError.from(RefundErrors, 'REFUND_NOT_AUTHORIZABLE');
      }
    }
    return toRefund(await this.loadCurrent(terminal, refundId));
  }

  /** Cancel a waiting refund at the terminal; its reservation is released. */
  async cancel(terminal: TerminalContext, refundId: string): Promise<Refund> {
    const refund = await this.loadOwn(terminal, refundId);
    if (!(await this.ledger.release(refund, 'canceled'))) {
      throw AppError.from(RefundErrors, 'REFUND_NOT_CANCELABLE', { status: refund.status });
    }
    return toRefund(await this.loadCurrent(terminal, refundId));
  }

  /** Load a refund of this merchant that must belong to this terminal (it is bound to it). */
  private async loadOwn(terminal: TerminalContext, refundId: string): Promise<RefundRow> {
    const refund = await this.loadCurrent(terminal, refundId);
    if (refund.terminal_id !== terminal.id) throw AppError.from(RefundErrors, 'REFUND_OTHER_TERMINAL');
    return refund;
  }

  private async loadCurrent(terminal: TerminalContext, refundId: string): Promise<RefundRow> {
    const refund = await repo.findRefund(this.db, refundId, terminal.merchantId);
    if (!refund) throw AppError.from(RefundErrors, 'REFUND_NOT_FOUND');
    const waiting = refund.status === 'requires_authorization' || refund.status === 'pending_approval';
    if (waiting && refund.expires_at <= this.clock.now()) {
      await this.ledger.release(refund, 'expired');
      return (await repo.findRefund(this.db, refundId, terminal.merchantId)) ?? refund;
    }
    return refund;
  }

  private async checkWindow(sale: SaleRow): Promise<void> {
    const store = await this.merchants.getStore(sale.store_id);
    if (this.clock.now() > sale.created_at + refundWindowMs(store.refundWindows, sale.method)) {
      throw AppError.from(RefundErrors, 'REFUND_WINDOW_EXPIRED', { param: 'sale_id' });
    }
  }

  /** Explain a refused reservation; only for the message: the refusal itself came from the atomic statement. */
  private async whyNotReserved(trx: Parameters<typeof sales.findSale>[0], saleId: string, merchantId: string, isVoid: boolean): Promise<AppError> {
    const sale = await sales.findSale(trx, saleId, merchantId);
    if (!sale || sale.status !== 'succeeded' || sale.voided) return AppError.from(RefundErrors, 'SALE_NOT_REFUNDABLE', { param: 'sale_id' });
    if (isVoid) return AppError.from(RefundErrors, 'VOID_NOT_ALLOWED', { param: 'amount' });
    if (sale.refund_count >= MAX_REFUNDS_PER_SALE) return AppError.from(RefundErrors, 'REFUND_LIMIT_REACHED');
    const refundable = sale.amount - sale.refunded_amount - sale.reserved_amount;
    return AppError.from(RefundErrors, 'REFUND_EXCEEDS_REFUNDABLE', { param: 'amount', refundable_amount: refundable });
  }
}
