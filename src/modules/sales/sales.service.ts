import type { Kysely } from 'kysely';
import type pino from 'pino';
import { writesInOneStatement } from '../../db/database.js';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { newOrderedId } from '../../lib/random.js';
import { type Acquirer, type AcquirerResult, AcquirerTimeoutError, type Instrument } from '../acquirer/index.js';
import type { IdempotencyScope, IdempotencyService } from '../idempotency/index.js';
import type { SettlementsService } from '../settlements/index.js';
import type { OperatorContext, TerminalContext } from '../terminals/index.js';
import type { WebhooksService } from '../webhooks/index.js';
import { outcomeOf, type PreparedMethod, prepareMethod, type SaleOutcome } from './payment-method.js';
import { toSale } from './sale-view.js';
import { SalesErrors } from './sales.errors.js';
import * as repo from './sales.repository.js';
import type { CreateSaleBody, Sale } from './sales.schemas.js';
import { MethodDetailColumn, type SaleRow } from './sales.table.js';

/** How long a charge may be in flight before "the acquirer has no record" means it never arrived. */
const NO_RECORD_GRACE_MS = 60_000;

/** One sale being taken: who takes it, what was asked, its key, its id, and its payment method checked. */
interface NewSale {
  terminal: TerminalContext;
  operator: OperatorContext;
  input: CreateSaleBody;
  scope: IdempotencyScope;
  id: string;
  prepared: PreparedMethod;
}

/** Sales (消费) through the acquirer, with idempotency and reconciliation of unknown outcomes. */
export class SalesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly acquirer: Acquirer,
    private readonly idempotency: IdempotencyService,
    private readonly settlements: SettlementsService,
    private readonly log: pino.Logger,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * Take a payment. With the sandbox (and for cash) in one transaction; with an acquirer outside our database the sale
   * is durable as `pending` before the acquirer is called, so a timeout reconciles (the sale is then still `pending`).
   */
  async createSale(
    terminal: TerminalContext,
    operator: OperatorContext,
    input: CreateSaleBody,
    scope: IdempotencyScope,
  ): Promise<Sale> {
    // A new key is the common case, so it is not looked up first: claiming it fails for a replay, answered by once().
    return this.idempotency.once(
      scope,
      () => this.create(terminal, operator, input, scope),
      (prior) => this.answerPrior(terminal, prior),
      { lookFirst: false },
    );
  }

  private async create(
    terminal: TerminalContext,
    operator: OperatorContext,
    input: CreateSaleBody,
    scope: IdempotencyScope,
  ): Promise<Sale> {
    let prepared: PreparedMethod;
    try {
      prepared = prepareMethod(input, this.clock.now(), this.hmac);
    } catch (error) {
      // A replay answers what the first request got, even if its card has expired since.
      const prior = await this.idempotency.prior(scope);
      if (prior) return this.answerPrior(terminal, prior);
      throw error;
    }

    const sale: NewSale = { terminal, operator, input, scope, id: newOrderedId('sal', this.clock.now()), prepared };
    const { id } = sale;
    const chargeWithin = this.acquirer.chargeWithin?.bind(this.acquirer);
    // Cash has no instrument to charge.
    const instrument = prepared.instrument;
    if (!instrument || chargeWithin) {
      const inOne = instrument && (await this.createInOneStatement(sale, instrument));
      return inOne || this.createInOneTransaction(sale, chargeWithin);
    }
    // An acquirer outside our database is called only once the pending sale is durable, so a timeout reconciles.
    const row = await this.db.transaction().execute(async (trx) => {
      await this.idempotency.claim(trx, scope, id);
      const pending = { status: 'pending' as const, declineCode: null, acquirerRef: null };
      return this.bookSale(trx, sale, pending);
    });
    let result: AcquirerResult | undefined;
    try {
      result = await this.acquirer.charge(chargeRequest(sale, instrument));
    } catch (error) {
      if (!(error instanceof AcquirerTimeoutError)) throw error;
      this.log.warn({ sale_id: id }, 'acquirer timeout; sale left pending for reconciliation');
    }
    return this.settle(row, result, scope);
  }

  /**
   * Cash, or an acquirer whose journal is in our database (the sandbox): charge, book the sale with its outcome, and
   * claim the key with its answer, all in one transaction; a concurrent request with the same key fails on the key's
   * primary key and rolls all of it back, charge included, then answers as a replay.
   */
  private async createInOneTransaction(
    sale: NewSale,
    chargeWithin: NonNullable<Acquirer['chargeWithin']> | undefined,
  ): Promise<Sale> {
    const { prepared } = sale;
    let timedOut = false;
    // A concurrent request with the same key fails on the key's primary key here; once() answers it as a replay.
    const booked = await this.db.transaction().execute(async (trx) => {
      let result: AcquirerResult | undefined;
      if (prepared.instrument && chargeWithin) {
        try {
          result = await chargeWithin(trx, chargeRequest(sale, prepared.instrument));
        } catch (error) {
          if (!(error instanceof AcquirerTimeoutError)) throw error;
          timedOut = true;
        }
      }
      const row = await this.bookSale(trx, sale, outcomeOf(prepared, result));
      const body = toSale(row);
      const final = row.status !== 'pending';
      await this.idempotency.record(trx, sale.scope, sale.id, final ? body : undefined);
      if (row.status === 'succeeded') await this.webhooks.emit(trx, row.merchant_id, 'sale.succeeded', body);
      return body;
    });
    if (timedOut) this.log.warn({ sale_id: sale.id }, 'acquirer timeout; sale left pending for reconciliation');
    return booked;
  }

  /**
   * PostgreSQL, with the sandbox: the same writes as `createInOneTransaction` in one statement that commits on its own
   * (`insertSaleInOneStatement`), into the batch the terminal last had open. Undefined, with nothing written, when that
   * cannot be: no batch known yet, an outcome the sandbox leaves unknown (a timeout), the batch closed since, or a
   * merchant with webhook endpoints. The caller then books the sale in a transaction.
   */
  private async createInOneStatement(sale: NewSale, instrument: Instrument): Promise<Sale | undefined> {
    const batchId = this.settlements.lastOpenBatchOf(sale.terminal.id);
    if (!batchId || !this.acquirer.planCharge || !writesInOneStatement(this.db)) return;
    const planned = this.acquirer.planCharge(chargeRequest(sale, instrument));
    if (!planned) return;
    const row = this.saleRow(sale, outcomeOf(sale.prepared, planned.result), batchId);
    const body = toSale(row);
    const key = this.idempotency.keyRow(sale.scope, sale.id, row.status !== 'pending' ? body : undefined);
    const written = await repo.insertSaleInOneStatement(this.db, { sale: row, journal: planned.journal, key });
    return written ? body : undefined;
  }

  /** Insert the sale into the terminal's open batch, in `trx`. */
  private async bookSale(trx: Executor, sale: NewSale, outcome: SaleOutcome): Promise<SaleRow> {
    const batch = await this.settlements.openBatch(trx, sale.terminal);
    const row = this.saleRow(sale, outcome, batch.id);
    await repo.insertSale(trx, row);
    return row;
  }

  private saleRow(
    { terminal, operator, input, id, prepared }: NewSale,
    outcome: SaleOutcome,
    batchId: string,
  ): SaleRow {
    const now = this.clock.now();
    return {
      id,
      merchant_id: terminal.merchantId,
      store_id: terminal.storeId,
      terminal_id: terminal.id,
      operator_id: operator.id,
      batch_id: batchId,
      status: outcome.status,
      amount: input.amount,
      currency: input.currency,
      method: input.payment_method.type,
      method_detail: MethodDetailColumn.write(prepared.detail),
      card_fingerprint: prepared.fingerprint,
      decline_code: outcome.declineCode,
      acquirer_ref: outcome.acquirerRef,
      refunded_amount: 0,
      reserved_amount: 0,
      refund_count: 0,
      voided: 0,
      created_at: now,
      updated_at: now,
    };
  }

  /** A sale of this merchant with its current state, reconciled first when its outcome was unknown. */
  async getSale(terminal: TerminalContext, saleId: string): Promise<SaleRow> {
    const row = await repo.findSale(this.db, saleId, terminal.merchantId);
    if (!row) throw AppError.from(SalesErrors, 'SALE_NOT_FOUND');
    return row.status === 'pending' ? this.reconcile(row) : row;
  }

  /** Ask the acquirer about pending sales older than `olderThanMs` and record their outcome. */
  async reconcilePending(olderThanMs = 5_000, limit = 100): Promise<number> {
    const rows = await repo.pendingSalesBefore(this.db, this.clock.now() - olderThanMs, limit);
    let settled = 0;
    for (const row of rows) if ((await this.reconcile(row)).status !== 'pending') settled++;
    return settled;
  }

  /** The ledger row of a sale, for the refunds service. */
  findSaleRow(merchantId: string, saleId: string): Promise<SaleRow | undefined> {
    return repo.findSale(this.db, saleId, merchantId);
  }

  /** An earlier or concurrent request with the same key holds the claim: answer as a replay. */
  private async answerPrior(
    terminal: TerminalContext,
    prior: NonNullable<Awaited<ReturnType<IdempotencyService['prior']>>>,
  ): Promise<Sale> {
    if (prior.kind === 'replay') return prior.body as Sale;
    const row = await repo.findSale(this.db, prior.resourceId, terminal.merchantId);
    if (!row) throw AppError.from(SalesErrors, 'SALE_NOT_FOUND');
    return toSale(await this.reconcile(row));
  }

  /** Ask the acquirer what became of a pending sale and record it; the current row afterwards. */
  private async reconcile(row: SaleRow): Promise<SaleRow> {
    const result = await this.acquirer.query(row.id);
    // No record after the grace period means the charge never reached the acquirer: nothing was taken, so it is declined.
    const neverArrived = !result && row.created_at < this.clock.now() - NO_RECORD_GRACE_MS;
    const outcome =
      result ??
      (neverArrived ? { status: 'declined' as const, declineCode: 'acquirer_no_record', acquirerRef: '' } : undefined);
    await this.settle(row, outcome, undefined);
    return (await repo.findSale(this.db, row.id, row.merchant_id)) ?? row;
  }

  /** Record the acquirer's outcome, and the idempotent answer with it, in one transaction. */
  private async settle(
    row: SaleRow,
    result: AcquirerResult | undefined,
    scope: IdempotencyScope | undefined,
  ): Promise<Sale> {
    if (!result || result.status === 'pending') return toSale(row);
    const status = result.status === 'approved' ? 'succeeded' : 'declined';
    const now = this.clock.now();
    const finished: SaleRow = {
      ...row,
      status,
      decline_code: result.declineCode ?? null,
      acquirer_ref: result.acquirerRef || null,
      updated_at: now,
    };
    const wonHere = await this.db.transaction().execute(async (trx) => {
      // A sale still pending when its batch was settled joins the open batch, so that exactly one settlement counts it.
      if (status === 'succeeded' && !(await this.settlements.isOpenBatch(trx, row.batch_id))) {
        const terminal = { id: row.terminal_id, merchantId: row.merchant_id, storeId: row.store_id };
        finished.batch_id = (await this.settlements.openBatch(trx, terminal)).id;
      }
      const won = await repo.finishPendingSale(trx, row.id, {
        status,
        decline_code: finished.decline_code,
        acquirer_ref: finished.acquirer_ref,
        batch_id: finished.batch_id,
        updated_at: now,
      });
      if (!won) return false;
      const key = scope ?? (await this.scopeOf(trx, row));
      if (key) await this.idempotency.complete(trx, key, toSale(finished));
      if (status === 'succeeded') await this.webhooks.emit(trx, row.merchant_id, 'sale.succeeded', toSale(finished));
      return true;
    });
    // The winner committed exactly `finished` (the answer it stored for replays); a loser reads what the winner wrote.
    const current = wonHere ? finished : await repo.findSale(this.db, row.id, row.merchant_id);
    return toSale(current ?? finished);
  }

  private async scopeOf(
    trx: Parameters<IdempotencyService['complete']>[0],
    row: SaleRow,
  ): Promise<IdempotencyScope | undefined> {
    const key = await trx
      .selectFrom('idempotency_keys')
      .select(['key', 'request_hash'])
      .where('terminal_id', '=', row.terminal_id)
      .where('resource_id', '=', row.id)
      .executeTakeFirst();
    return key && { terminalId: row.terminal_id, key: key.key, requestHash: key.request_hash };
  }
}

/** What the acquirer is asked to charge for a sale. */
function chargeRequest(sale: NewSale, instrument: Instrument) {
  return { reference: sale.id, amount: sale.input.amount, currency: sale.input.currency, instrument };
}
