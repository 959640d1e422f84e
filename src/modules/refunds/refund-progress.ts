import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { StaffSession } from '../access/index.js';
import { AuthorizationErrors, type Decision, type FactorsGiven, MAX_CODES_PER_REFUND } from '../authorization/index.js';
import {
  type AuthorizationFactor,
  missingFactors,
  REFUND_INACTIVITY,
  type RefundRecord,
  refundAuditEvent,
  waitingUntil,
} from '../refund-model/index.js';
import type { TerminalContext } from '../terminals/index.js';
import type { RefundAuthorizationDeps } from './refund-deps.js';
import type { ClaimOutcome, RefundLedger } from './refund-ledger.js';
import { RefundErrors } from './refunds.errors.js';
import * as repo from './refunds.repository.js';

/**
 * Moves a waiting refund on: applies the authorization module's decisions at the terminal, issues new codes, and
 * carries out a second person's approval or denial. Each step is one transaction with a conditional state change;
 * inside it the approval row is locked before the refund row, and the audit head last.
 */
export class RefundProgress {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: RefundLedger,
    private readonly authz: RefundAuthorizationDeps,
  ) {}

  /** Check the factors sent (the authorization module decides), then apply the decision. */
  /** Answers the refund as booked when this request completed it, else undefined (the caller reads it). */
  async authorize(
    terminal: TerminalContext,
    refund: RefundRecord,
    given: FactorsGiven,
  ): Promise<RefundRecord | undefined> {
    assertWaiting(refund);
    const decision = await this.authz.authorization.decide(terminal, refund, given);
    return this.apply(terminal, refund, decision);
  }

  /** A new code for the refund; the previous one stops working. The failure count stays. */
  async resendCode(terminal: TerminalContext, refund: RefundRecord): Promise<void> {
    assertWaiting(refund);
    const { authorization } = this.authz;
    await authorization.lockouts.assertUnlocked(terminal);
    if (!missingFactors(refund).includes('one_time_code'))
      throw AppError.from(AuthorizationErrors, 'CODE_NOT_REQUIRED');
    if ((await authorization.lockouts.codeAttemptsLeft(refund.id, refund.merchant_id)) === 0)
      throw AppError.from(AuthorizationErrors, 'CODE_BURNED', { attempts_left: 0 });
    if (refund.codes_issued >= MAX_CODES_PER_REFUND) throw AppError.from(AuthorizationErrors, 'CODE_RESEND_LIMIT');
    const context = await authorization.codeContext(
      refund.store_id,
      await this.authz.staff.usersOfMerchant(refund.merchant_id),
    );
    await this.db.transaction().execute(async (trx) => {
      // Counted with one conditional statement: concurrent resends never issue a 4th code.
      const seq = await repo.countCodeIssued(trx, refund.id, MAX_CODES_PER_REFUND);
      if (seq === undefined) throw AppError.from(AuthorizationErrors, 'CODE_RESEND_LIMIT');
      const code = await authorization.codes.issue(trx, refund, seq, context);
      const now = this.clock.now();
      await repo.transition(trx, refund.id, ['requires_authorization'], {
        expires_at: waitingUntil(now, code.expires_at),
        updated_at: now,
      });
    });
  }

  /** Approve in the back office: never by the requester (the authorization module checks); completes the refund. */
  async approve(session: StaffSession, refundId: string, refund: RefundRecord | undefined): Promise<void> {
    const { approvals } = this.authz.authorization;
    const approval = await approvals.decidable(session, refundId, refund);
    const current = await this.unexpired(refund as RefundRecord);
    const satisfied: AuthorizationFactor[] = [...current.satisfied.filter((f) => f !== 'approval'), 'approval'];
    const outcome = await this.db.transaction().execute(async (trx) => {
      await approvals.markDecided(trx, session, refundId, { status: 'approved' });
      const claimed = await this.ledger.claim(trx, current, satisfied, { type: 'user', id: session.userId });
      if (claimed === 'lost') throw AppError.from(AuthorizationErrors, 'APPROVAL_NOT_PENDING');
      await approvals.recordDecision(trx, session, approval, 'refund.approved', {});
      return claimed;
    });
    await this.ledger.afterClaim(current, outcome);
  }

  /** Deny with a reason: the refund is canceled and its reservation released. */
  async deny(session: StaffSession, refundId: string, refund: RefundRecord | undefined, reason: string): Promise<void> {
    const { approvals } = this.authz.authorization;
    const approval = await approvals.decidable(session, refundId, refund);
    const current = await this.unexpired(refund as RefundRecord);
    await this.db.transaction().execute(async (trx) => {
      await approvals.markDecided(trx, session, refundId, { status: 'denied', reason });
      const actor = { type: 'user' as const, id: session.userId };
      if (!(await this.ledger.releaseIn(trx, current, 'canceled', 'approval_denied', actor)))
        throw AppError.from(AuthorizationErrors, 'APPROVAL_NOT_PENDING');
      await approvals.recordDecision(trx, session, approval, 'refund.denied', { reason });
    });
  }

  /** A refund whose time ran out is expired now, and no longer decidable. */
  private async unexpired(refund: RefundRecord): Promise<RefundRecord> {
    if (refund.expires_at > this.clock.now()) return refund;
    await this.ledger.release(refund, 'expired');
    throw AppError.from(AuthorizationErrors, 'APPROVAL_NOT_PENDING', { status: 'expired' });
  }

  /** One transaction: use the code once, then record the factors, ask for approval, or claim the refund. */
  private async apply(
    terminal: TerminalContext,
    refund: RefundRecord,
    decision: Decision,
  ): Promise<RefundRecord | undefined> {
    const { authorization } = this.authz;
    const operator = { type: 'operator' as const, id: refund.operator_id };
    const applied = this.db.transaction().execute(async (trx): Promise<ClaimOutcome | 'waiting'> => {
      const now = this.clock.now();
      // First, as where they were claimed: attempt counters before the refund row, the audit head last.
      await decision.giveBackAttempts(trx);
      // A lock that a concurrent burst started after this request's secrets were checked still stops it here.
      await authorization.lockouts.assertUnlocked(terminal, trx);
      if (decision.code && !(await authorization.codes.consume(trx, decision.code)))
        throw AppError.from(AuthorizationErrors, 'CODE_ALREADY_USED', { param: 'code' });
      if (decision.next === 'complete') {
        // The terminal's locks were read above in this transaction, and the refund is this terminal's (loadOwn).
        const claimed = await this.ledger.claim(trx, refund, decision.satisfied, operator, {
          locksChecked: refund.terminal_id === terminal.id && refund.merchant_id === terminal.merchantId,
        });
        if (claimed === 'lost') throw AppError.from(RefundErrors, 'REFUND_NOT_AUTHORIZABLE');
        return claimed;
      }
      if (decision.next === 'approval') {
        const expiresAt = now + REFUND_INACTIVITY;
        const moved = await repo.transition(trx, refund.id, ['requires_authorization'], {
          satisfied: decision.satisfied,
          updated_at: now,
          status: 'pending_approval',
          expires_at: expiresAt,
        });
        if (!moved) throw AppError.from(RefundErrors, 'REFUND_NOT_AUTHORIZABLE');
        await this.factorsEvent(trx, refund, decision.satisfied, 'approval');
        await authorization.approvals.request(trx, refund, expiresAt, decision.approvers);
        return 'waiting';
      }
      const recorded = await repo.updateWaiting(trx, refund, {
        satisfied: decision.satisfied,
        updated_at: now,
        expires_at: waitingUntil(now, decision.codeExpiry),
      });
      if (!recorded) throw AppError.from(RefundErrors, 'REFUND_NOT_AUTHORIZABLE');
      const next = refund.required.find((f) => !decision.satisfied.includes(f)) ?? null;
      await this.factorsEvent(trx, refund, decision.satisfied, next);
      return 'waiting';
    });
    const outcome = await applied.catch(async (error: unknown) => {
      // Nothing of the transaction remains, the give-back included: the key was right all the same.
      await this.db.transaction().execute((trx) => decision.giveBackAttempts(trx));
      throw error;
    });
    return outcome === 'waiting' ? undefined : this.ledger.afterClaimed(refund, outcome);
  }

  private async factorsEvent(
    trx: Executor,
    refund: RefundRecord,
    satisfied: AuthorizationFactor[],
    next: AuthorizationFactor | null,
  ): Promise<void> {
    await this.authz.audit.record(
      trx,
      refundAuditEvent(refund, 'refund.factors_accepted', 'success', { satisfied, next }),
    );
  }
}

function assertWaiting(refund: RefundRecord): void {
  if (refund.status === 'requires_authorization') return;
  throw AppError.from(RefundErrors, refund.status === 'expired' ? 'REFUND_EXPIRED' : 'REFUND_NOT_AUTHORIZABLE', {
    status: refund.status,
  });
}
