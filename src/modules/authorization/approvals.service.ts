import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { formatYuan } from '../../lib/money.js';
import type { StaffSession } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import type { RecipientsService } from '../recipients/index.js';
import { type RefundRecord, refundAuditEvent } from '../refund-model/index.js';
import type { StaffService } from '../staff/index.js';
import * as repo from './approvals.repository.js';
import { approversOf, type Destination, destinationsOf } from './approvers.js';
import { AuthorizationErrors } from './authorization.errors.js';
import type { RefundApprovalRow } from './authorization.table.js';

/** A pending (or decided) second-person approval, as the back office sees it. */
export interface Approval {
  object: 'approval';
  refund_id: string;
  sale_id: string;
  store_id: string;
  terminal_id: string;
  amount: number;
  currency: 'CNY';
  reason: string;
  status: RefundApprovalRow['status'];
  requested_by_operator_id: string;
  requested_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
}

/**
 * Maker-checker: a refund above the approval threshold waits for an owner or manager other than its requester.
 * This service keeps the approval rows and decides who may decide; the refunds module moves the refund.
 */
export class ApprovalsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly staff: StaffService,
    private readonly recipients: Pick<RecipientsService, 'withRecipients'>,
  ) {}

  /**
   * Who is asked to approve a refund: the store's approvers except the staff member behind the requesting operator,
   * and the merchant's verified notification recipients (an address already reached is not asked twice).
   */
  async approversFor(refund: RefundRecord): Promise<Destination[]> {
    const requester = await this.staff.staffMemberOfOperator(refund.operator_id);
    const users = approversOf(await this.staff.usersOfMerchant(refund.merchant_id), refund.store_id).filter(
      (u) => u.id !== requester,
    );
    return this.recipients.withRecipients(refund.merchant_id, destinationsOf(users));
  }

  /** Open the one approval of a refund inside the caller's transaction and ask the approvers. */
  async request(trx: Executor, refund: RefundRecord, expiresAt: number, destinations: Destination[]): Promise<void> {
    const now = this.clock.now();
    await repo.insertApproval(trx, {
      refund_id: refund.id,
      merchant_id: refund.merchant_id,
      store_id: refund.store_id,
      terminal_id: refund.terminal_id,
      sale_id: refund.sale_id,
      amount: refund.amount,
      reason: refund.reason,
      requested_by_operator_id: refund.operator_id,
      status: 'pending',
      requested_at: now,
      expires_at: expiresAt,
      decided_by: null,
      decided_at: null,
      decision_reason: null,
    });
    for (const to of destinations) {
      await this.outbox.enqueue(trx, {
        merchantId: refund.merchant_id,
        channel: to.channel,
        recipient: to.recipient,
        template: 'approval_requested',
        locale: to.locale,
        params: {
          amount: formatYuan(refund.amount),
          amount_fen: refund.amount,
          refund_id: refund.id,
          sale_ref: refund.sale_id,
          terminal: refund.terminal_id,
          store_id: refund.store_id,
          operator_id: refund.operator_id,
          reason: refund.reason,
          expires_at: toIso(expiresAt),
        },
        giveUpAt: expiresAt,
      });
    }
    await this.audit.record(
      trx,
      refundAuditEvent(refund, 'refund.approval_requested', 'info', {
        amount: refund.amount,
        expires_at: toIso(expiresAt),
      }),
    );
  }

  /** Pending approvals the session may decide (its merchant, its stores). */
  async listPending(session: StaffSession): Promise<Approval[]> {
    if (!session.merchantId) return [];
    const rows = (await repo.pendingApprovals(this.db, session.merchantId, this.clock.now(), 200)).filter((r) =>
      inScope(session, r.store_id),
    );
    // The refund may have been canceled at the terminal meanwhile: only those still waiting are shown.
    const waiting = await repo.stillPendingApproval(
      this.db,
      rows.map((r) => r.refund_id),
    );
    return rows.filter((r) => waiting.has(r.refund_id)).map(toApproval);
  }

  /**
   * The approval of a refund this session may decide now: its merchant and stores, not its requester (checked here,
   * on the server, and audited when refused), still pending. `refund` is the refund as its module read it.
   */
  async decidable(
    session: StaffSession,
    refundId: string,
    refund: RefundRecord | undefined,
  ): Promise<RefundApprovalRow> {
    if (!session.merchantId || (session.role !== 'owner' && session.role !== 'manager'))
      throw AppError.from(CommonErrors, 'FORBIDDEN');
    const approval = await repo.findApproval(this.db, refundId, session.merchantId);
    if (!approval || !refund || !inScope(session, approval.store_id))
      throw AppError.from(AuthorizationErrors, 'APPROVAL_NOT_FOUND');
    // Every operator number belongs to one staff member: the person behind the requesting number may not decide.
    if ((await this.staff.staffMemberOfOperator(approval.requested_by_operator_id)) === session.userId) {
      await this.audit.record(
        undefined,
        this.decisionEvent(session, approval, 'refund.approval_refused', { why: 'approver_is_requester' }, 'failure'),
      );
      throw AppError.from(AuthorizationErrors, 'APPROVER_IS_REQUESTER');
    }
    if (approval.status !== 'pending' || refund.status !== 'pending_approval')
      throw AppError.from(AuthorizationErrors, 'APPROVAL_NOT_PENDING', { status: refund.status });
    return approval;
  }

  /**
   * Record the decision inside the caller's transaction, before the refund row is touched (the lock order: approval
   * row, refund row, audit head). Refused when someone decided first.
   */
  async markDecided(
    trx: Executor,
    session: StaffSession,
    refundId: string,
    decision: { status: 'approved' } | { status: 'denied'; reason: string },
  ): Promise<void> {
    const decided = await repo.decide(trx, {
      refundId,
      status: decision.status,
      by: session.userId,
      reason: decision.status === 'denied' ? decision.reason : null,
      now: this.clock.now(),
    });
    if (!decided) throw AppError.from(AuthorizationErrors, 'APPROVAL_NOT_PENDING');
  }

  /** Audit a decision, last in its transaction (the audit head is locked last). */
  async recordDecision(
    trx: Executor,
    session: StaffSession,
    approval: RefundApprovalRow,
    event: 'refund.approved' | 'refund.denied',
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(trx, this.decisionEvent(session, approval, event, detail));
  }

  /** The refund ended without a decision (canceled, expired): its approval is closed in the same transaction. */
  async closeFor(trx: Executor, refund: RefundRecord): Promise<void> {
    await repo.closeUndecided(trx, refund.id, this.clock.now());
  }

  private decisionEvent(
    session: StaffSession,
    approval: RefundApprovalRow,
    event: string,
    detail: Record<string, unknown>,
    outcome: 'success' | 'failure' = 'success',
  ) {
    return {
      merchantId: approval.merchant_id,
      actor: { type: 'user' as const, id: session.userId },
      event,
      outcome,
      origin: session.ip,
      object: { type: 'refund', id: approval.refund_id },
      detail: { amount: approval.amount, requested_by_operator_id: approval.requested_by_operator_id, ...detail },
    };
  }
}

function inScope(session: StaffSession, storeId: string): boolean {
  return session.storeIds === null || session.storeIds.includes(storeId);
}

function toApproval(row: RefundApprovalRow): Approval {
  return {
    object: 'approval',
    refund_id: row.refund_id,
    sale_id: row.sale_id,
    store_id: row.store_id,
    terminal_id: row.terminal_id,
    amount: row.amount,
    currency: 'CNY',
    reason: row.reason,
    status: row.status,
    requested_by_operator_id: row.requested_by_operator_id,
    requested_at: toIso(row.requested_at),
    expires_at: toIso(row.expires_at),
    decided_by: row.decided_by,
    decided_at: row.decided_at === null ? null : toIso(row.decided_at),
    decision_reason: row.decision_reason,
  };
}
