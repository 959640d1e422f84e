import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/random.js';
import type { PaymentMethodType } from '../acquirer/index.js';
import type { IdempotencyScope, IdempotencyService } from '../idempotency/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { TerminalContext } from '../terminals/index.js';
import type { WebhooksService } from '../webhooks/index.js';
import { SettlementErrors } from './settlements.errors.js';
import * as repo from './settlements.repository.js';
import { type BatchRow, ReportColumn } from './settlements.table.js';

const METHODS: PaymentMethodType[] = ['bank_card', 'qr', 'order', 'cash'];

interface CountAmount {
  count: number;
  amount: number;
}

export interface SettlementLine {
  method: PaymentMethodType;
  sales: CountAmount;
  voids: CountAmount;
  refunds: CountAmount;
  fees: number;
  net: number;
}

/** A closed batch (结算): counts and totals per method, fees from the rate plan, and net. */
export interface Settlement {
  id: string;
  terminal_id: string;
  status: 'closed';
  currency: 'CNY';
  opened_at: string;
  closed_at: string;
  by_method: SettlementLine[];
  totals: Omit<SettlementLine, 'method'>;
}

/** Batches: one open per terminal; settlement closes it and opens the next. */
export class SettlementsService {
  /** Terminal id → the id of its batch last found open here (one entry per terminal that booked in this process). */
  private readonly lastOpenBatch = new Map<string, string>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly merchants: MerchantsService,
    private readonly webhooks: WebhooksService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * The terminal's open batch, opened now if it has none, and held open until the caller's transaction ends (so that
   * a concurrent settlement counts what is booked into it, or closes it first and the booking goes to the next batch).
   */
  async openBatch(trx: Executor, terminal: TerminalContext): Promise<BatchRow> {
    // Each retry means a settlement closed the batch meanwhile; a few in a row are possible, endless ones are not.
    for (let attempt = 0; attempt < 10; attempt++) {
      // Find and hold in one statement: an UPDATE blocked by a settlement closing the batch re-checks `status` and
      // matches nothing, so the booking goes to the next batch (opened below, or by a concurrent booking).
      const held = await repo.holdOpenBatchOf(trx, terminal.id);
      if (held) {
        this.lastOpenBatch.set(terminal.id, held.id);
        return held;
      }
      await repo.insertOpenBatchIfNone(trx, {
        id: newId('bat'),
        merchant_id: terminal.merchantId,
        terminal_id: terminal.id,
        status: 'open',
        opened_at: this.clock.now(),
        closed_at: null,
        report: null,
      });
    }
    throw new Error(`no open batch for terminal ${terminal.id}`);
  }

  /**
   * The batch this process last found open for the terminal: a guess, never trusted. A booking that uses it holds it
   * with `heldBatch`, which finds nothing once a settlement has closed it, and then books the long way (`openBatch`).
   */
  lastOpenBatchOf(terminalId: string): string | undefined {
    return this.lastOpenBatch.get(terminalId);
  }

  /** True when the batch is still open (a void is still possible), held open until the caller's transaction ends. */
  async isOpenBatch(trx: Executor, batchId: string): Promise<boolean> {
    return repo.holdOpenBatch(trx, batchId);
  }

  /**
   * Close the terminal's open batch and report it; the next sale opens a new one. Keyed like sales: a retry with the same
   * Idempotency-Key answers the first settlement instead of closing a second batch. An empty batch is refused
   * (BATCH_EMPTY) unless `allowEmpty`, and the refusal leaves nothing behind.
   */
  async settle(
    terminal: TerminalContext,
    { allowEmpty }: { allowEmpty: boolean },
    scope: IdempotencyScope,
  ): Promise<Settlement> {
    // A concurrent request with the same key that closed the batch first is answered as a replay.
    return this.idempotency.once(scope, () => this.closeOpenBatch(terminal, allowEmpty, scope));
  }

  private async closeOpenBatch(
    terminal: TerminalContext,
    allowEmpty: boolean,
    scope: IdempotencyScope,
  ): Promise<Settlement> {
    const { ratePlan } = await this.merchants.getMerchant(terminal.merchantId);
    return this.db.transaction().execute(async (trx) => {
      const batch = await this.openBatch(trx, terminal);
      await this.idempotency.claim(trx, scope, batch.id);
      const [sales, refunds] = await Promise.all([
        repo.saleTotals(trx, batch.id, ratePlan),
        repo.refundTotals(trx, batch.id),
      ]);
      const closedAt = this.clock.now();
      const lines = METHODS.map((method): SettlementLine => {
        const sale = sales.find((s) => s.method === method);
        const pick = (type: string) => refunds.find((r) => r.method === method && r.type === type);
        const voids = pick('void');
        const refund = pick('refund');
        const line = {
          method,
          sales: { count: sale?.count ?? 0, amount: sale?.amount ?? 0 },
          voids: { count: voids?.count ?? 0, amount: voids?.amount ?? 0 },
          refunds: { count: refund?.count ?? 0, amount: refund?.amount ?? 0 },
          fees: sale?.fees ?? 0,
        };
        return { ...line, net: line.sales.amount - line.voids.amount - line.refunds.amount - line.fees };
      });
      const settlement: Settlement = {
        id: batch.id,
        terminal_id: terminal.id,
        status: 'closed',
        currency: 'CNY',
        opened_at: toIso(batch.opened_at),
        closed_at: toIso(closedAt),
        by_method: lines,
        totals: sumLines(lines),
      };
      const { sales: s, voids: v, refunds: r } = settlement.totals;
      if (!allowEmpty && s.count + v.count + r.count === 0) throw AppError.from(SettlementErrors, 'BATCH_EMPTY');
      if (!(await repo.closeBatch(trx, batch.id, closedAt, ReportColumn.write(settlement)))) {
        throw AppError.from(SettlementErrors, 'SETTLEMENT_IN_PROGRESS');
      }
      await this.webhooks.emit(trx, terminal.merchantId, 'settlement.closed', { ...settlement });
      await this.idempotency.complete(trx, scope, settlement);
      return settlement;
    });
  }
}

function sumLines(lines: SettlementLine[]): Omit<SettlementLine, 'method'> {
  const add = (pick: (l: SettlementLine) => CountAmount) => ({
    count: lines.reduce((n, l) => n + pick(l).count, 0),
    amount: lines.reduce((n, l) => n + pick(l).amount, 0),
  });
  return {
    sales: add((l) => l.sales),
    voids: add((l) => l.voids),
    refunds: add((l) => l.refunds),
    fees: lines.reduce((n, l) => n + l.fees, 0),
    net: lines.reduce((n, l) => n + l.net, 0),
  };
}
