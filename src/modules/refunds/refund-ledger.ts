import type { Kysely } from 'kysely';
import type pino from 'pino';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Acquirer } from '../acquirer/index.js';
import { refundLockSeconds } from '../attempts/index.js';
import type { AuditEvent, AuditService } from '../audit/index.js';
import { type ApprovalsService, AuthorizationErrors, type RefundPoliciesService } from '../authorization/index.js';
import { type AuthorizationFactor, type RefundRecord, refundAuditEvent } from '../refund-model/index.js';
import * as sales from '../sales/index.js';
import type { SettlementsService } from '../settlements/index.js';
import type { WebhooksService } from '../webhooks/index.js';
import { toRefund } from './refund-view.js';
import { RefundErrors } from './refunds.errors.js';
import * as repo from './refunds.repository.js';

/** What claiming an authorized refund led to. */
export type ClaimOutcome = 'won' | 'lost' | 'batch_closed';

/**
 * The money side of a refund once it is authorized, or when it ends without being authorized.
 * Each step is one transaction with a conditional state change, so concurrent callers and instances apply it once.
 */
export class RefundLedger {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly acquirer: Acquirer,
    private readonly settlements: SettlementsService,
    private readonly log: pino.Logger,
    private readonly audit: AuditService,
    private readonly policies: RefundPoliciesService,
    private readonly webhooks: WebhooksService,
    private readonly approvals: ApprovalsService,
  ) {}

  /** Authorized: send it to the acquirer (cash needs none) and book it. False when another caller got there first. */
  async complete(
    refund: RefundRecord,
    satisfied: AuthorizationFactor[],
    actor: AuditEvent['actor'] = { type: 'system' },
  ): Promise<boolean> {
    const outcome = await this.db.transaction().execute((trx) => this.claim(trx, refund, satisfied, actor));
    return this.afterClaim(refund, outcome);
  }

  /**
   * Inside the caller's transaction: move a waiting refund to processing, audited as authorized; a void whose batch
   * closed meanwhile fails instead. After commit the caller hands the outcome to afterClaim.
   */
  async claim(
    trx: Executor,
    refund: RefundRecord,
    satisfied: AuthorizationFactor[],
    actor: AuditEvent['actor'],
    { locksChecked = false }: { locksChecked?: boolean } = {},
  ): Promise<ClaimOutcome> {
    // Nothing completes a refund while its terminal or merchant is locked, even a lock that a burst started after this
    // refund's secrets were checked (docs/security.md "Attempt limits"). `locksChecked`: the caller read the locks of
    // this refund's terminal and merchant already, in this same transaction.
    const lockedFor = locksChecked
      ? 0
      : await refundLockSeconds(
          trx,
          { terminalId: refund.terminal_id, merchantId: refund.merchant_id },
          this.clock.now(),
        );
    if (lockedFor !== 0)
      throw AppError.from(AuthorizationErrors, 'REFUNDS_LOCKED', { retry_after_s: lockedFor ?? undefined });
    // A void exists only inside its sale's open batch: once that batch is settled the void can no longer happen.
    if (refund.type === 'void' && !(await this.saleBatchOpen(trx, refund))) {
      return (await this.releaseIn(trx, refund, 'failed', 'VOID_NOT_ALLOWED', actor)) ? 'batch_closed' : 'lost';
    }
    const won = await repo.transition(trx, refund.id, ['requires_authorization', 'pending_approval'], {
      status: 'processing',
      satisfied,
      updated_at: this.clock.now(),
    });
    if (!won) return 'lost';
    await this.audit.record(
      trx,
      refundAuditEvent(refund, 'refund.authorized', 'success', { factors: satisfied, amount: refund.amount }, actor),
    );
    return 'won';
  }

  /** After the claiming transaction committed: book a won refund; refuse a void whose batch closed. */
  async afterClaim(refund: RefundRecord, outcome: ClaimOutcome): Promise<boolean> {
    if (outcome === 'lost') return false;
    await this.afterClaimed(refund, outcome);
    return true;
  }

  /** The same, answering the refund as booked now; undefined when lost, or left processing for a retry. */
  async afterClaimed(refund: RefundRecord, outcome: ClaimOutcome): Promise<RefundRecord | undefined> {
    if (outcome === 'batch_closed') throw AppError.from(RefundErrors, 'VOID_NOT_ALLOWED', { status: 'failed' });
    if (outcome === 'lost') return undefined;
    return this.finishProcessing({ ...refund, status: 'processing' });
  }

  /** A refund of this merchant by id (for approvals). */
  find(merchantId: string, id: string): Promise<RefundRecord | undefined> {
    return repo.findRefund(this.db, id, merchantId);
  }

  /** Refunds by id, of any merchant; callers filter. */
  findMany(ids: string[]): Promise<RefundRecord[]> {
    return repo.findRefundsByIds(this.db, ids);
  }

  /** Push a processing refund through the acquirer and book it; left processing for a retry if the acquirer fails. */
  async finishProcessing(refund: RefundRecord): Promise<RefundRecord | undefined> {
    const request = { reference: refund.id, saleReference: refund.sale_id, amount: refund.amount };
    // The sandbox journals the refund in the booking's transaction; an acquirer outside our database is asked first.
    const refundWithin = refund.method === 'cash' ? undefined : this.acquirer.refundWithin?.bind(this.acquirer);
    if (refund.method !== 'cash' && !refundWithin) {
      try {
        await this.acquirer.refund(request);
      } catch (error) {
        this.log.warn({ refund_id: refund.id, err: error }, 'acquirer refund failed; will retry');
        return undefined;
      }
    }
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const batch = await this.settlements.openBatch(trx, {
        id: refund.terminal_id,
        merchantId: refund.merchant_id,
        storeId: refund.store_id,
      });
      const booked = await repo.transitionReturning(trx, refund.id, ['processing'], {
        status: 'succeeded',
        batch_id: batch.id,
        completed_at: now,
        updated_at: now,
      });
      if (!booked) return undefined;
      if (refundWithin) await refundWithin(trx, request);
      await sales.applyReservation(trx, refund.sale_id, refund.amount, refund.type === 'void', now);
      // The row as booked: the sale's update above does not touch it.
      await this.webhooks.emit(trx, refund.merchant_id, 'refund.succeeded', toRefund(booked));
      return booked;
    });
  }

  private async saleBatchOpen(trx: Executor, refund: RefundRecord): Promise<boolean> {
    const sale = await sales.findSale(trx, refund.sale_id, refund.merchant_id);
    return sale !== undefined && (await this.settlements.isOpenBatch(trx, sale.batch_id));
  }

  /** End a waiting refund (canceled, expired, denied) and give its reservation back. */
  async release(
    refund: RefundRecord,
    status: 'canceled' | 'expired' | 'failed',
    failureCode?: string,
    actor: AuditEvent['actor'] = { type: 'system' },
  ): Promise<boolean> {
    return this.db.transaction().execute((trx) => this.releaseIn(trx, refund, status, failureCode, actor));
  }

  /** The same inside the caller's transaction: reservation and daily caps given back, audited. */
  async releaseIn(
    trx: Executor,
    refund: RefundRecord,
    status: 'canceled' | 'expired' | 'failed',
    failureCode: string | undefined,
    actor: AuditEvent['actor'],
  ): Promise<boolean> {
    const now = this.clock.now();
    // The approval row first: an approver locks it before the refund row, so releasing in the same order cannot
    // deadlock with a concurrent approval. Only the approval of a refund nobody decided yet is closed.
    await this.approvals.closeFor(trx, refund);
    const ended = await repo.transition(trx, refund.id, ['requires_authorization', 'pending_approval'], {
      status,
      updated_at: now,
      completed_at: now,
      ...(failureCode ? { failure_code: failureCode } : {}),
    });
    if (!ended) return false;
    await sales.releaseReservation(trx, refund.sale_id, refund.amount, now);
    await this.policies.releaseUsage(trx, refund);
    const detail = { amount: refund.amount, ...(failureCode ? { failure_code: failureCode } : {}) };
    await this.audit.record(trx, refundAuditEvent(refund, `refund.${status}`, 'info', detail, actor));
    // A void refused because its batch closed ends as `failed`, which has no webhook event.
    if (status !== 'failed') await this.announce(trx, refund, `refund.${status}`);
    return true;
  }

  /** Queue the webhook of a refund's new state, with the row as this transaction now sees it. */
  private async announce(
    trx: Executor,
    refund: RefundRecord,
    event: 'refund.succeeded' | 'refund.canceled' | 'refund.expired',
  ): Promise<void> {
    const current = await repo.findRefund(trx, refund.id, refund.merchant_id);
    if (current) await this.webhooks.emit(trx, refund.merchant_id, event, toRefund(current));
  }

  /** Expire waiting refunds whose time ran out; safe to run on every instance at once. */
  async expireDue(limit = 200): Promise<RefundRecord[]> {
    const due = await repo.waitingRefundsExpiredBy(this.db, this.clock.now(), limit);
    const expired: RefundRecord[] = [];
    for (const refund of due) if (await this.release(refund, 'expired')) expired.push(refund);
    return expired;
  }

  /** Retry refunds stuck in processing (acquirer down or a crash between the two steps). */
  async retryProcessing(olderThanMs = 5_000, limit = 100): Promise<number> {
    const stuck = await repo.processingRefunds(this.db, this.clock.now() - olderThanMs, limit);
    for (const refund of stuck) await this.finishProcessing(refund);
    return stuck.length;
  }
}
