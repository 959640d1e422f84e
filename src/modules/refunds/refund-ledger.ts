import type { Kysely } from 'kysely';
import type pino from 'pino';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Acquirer } from '../acquirer/acquirer.js';
import * as sales from '../sales/sales.repository.js';
import type { SettlementsService } from '../settlements/settlements.service.js';
import * as repo from './refunds.repository.js';
import type { AuthorizationFactor, RefundRow } from './refunds.table.js';

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
  ) {}

  /** Authorized: send it to the acquirer (cash needs none) and book it. False when another caller got there first. */
  async complete(refund: RefundRow, satisfied: AuthorizationFactor[]): Promise<boolean> {
    const now = this.clock.now();
    const won = await repo.transition(this.db, refund.id, ['requires_authorization', 'pending_approval'], {
      status: 'processing',
      satisfied: JSON.stringify(satisfied),
      updated_at: now,
    });
    if (!won) return false;
    await this.finishProcessing({ ...refund, status: 'processing' });
    return true;
  }

  /** Push a processing refund through the acquirer and book it; left processing for a retry if the acquirer fails. */
  async finishProcessing(refund: RefundRow): Promise<void> {
    if (refund.method !== 'cash') {
      try {
        await this.acquirer.refund({ reference: refund.id, saleReference: refund.sale_id, amount: refund.amount });
      } catch (error) {
        this.log.warn({ refund_id: refund.id, err: error }, 'acquirer refund failed; will retry');
        return;
      }
    }
    await this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const batch = await this.settlements.openBatch(trx, { id: refund.terminal_id, merchantId: refund.merchant_id, storeId: refund.store_id });
      const booked = await repo.transition(trx, refund.id, ['processing'], {
        status: 'succeeded',
        batch_id: batch.id,
        completed_at: now,
        updated_at: now,
      });
      if (booked) await sales.applyReservation(trx, refund.sale_id, refund.amount, refund.type === 'void', now);
    });
  }

  /** End a waiting refund (canceled, expired, denied) and give its reservation back. */
  async release(refund: RefundRow, status: 'canceled' | 'expired' | 'failed', failureCode?: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const ended = await repo.transition(trx, refund.id, ['requires_authorization', 'pending_approval'], {
        status,
        updated_at: now,
        completed_at: now,
        ...(failureCode ? { failure_code: failureCode } : {}),
      });
      if (ended) await sales.releaseReservation(trx, refund.sale_id, refund.amount, now);
      return ended;
    });
  }

  /** Expire waiting refunds whose time ran out; safe to run on every instance at once. */
  async expireDue(limit = 200): Promise<RefundRow[]> {
    const due = await repo.waitingRefundsExpiredBy(this.db, this.clock.now(), limit);
    const expired: RefundRow[] = [];
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
