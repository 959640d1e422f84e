import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { StaffSession } from '../access/index.js';
import {
  type AttemptLimiter,
  type AttemptSubject,
  type AttemptTicket,
  merchantRefundSubject,
  REFUND_AUTH_PER_MERCHANT,
  REFUND_KEY_PER_TERMINAL,
  refundCodeSubject,
  refundLockSeconds,
  terminalKeySubject,
} from '../attempts/index.js';
import type { AuditEvent, AuditService } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import type { RecipientsService } from '../recipients/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import type { TerminalContext, TerminalsService } from '../terminals/index.js';
import { destinationsOf } from './approvers.js';
import { AuthorizationErrors } from './authorization.errors.js';

// docs/security.md "Attempt limits": the numbers live in the rules.
export const TERMINAL_KEY_FAILURE_LIMIT = REFUND_KEY_PER_TERMINAL.limit;
export const MERCHANT_FAILURE_LIMIT = REFUND_AUTH_PER_MERCHANT.limit;
export const LOCK_DURATION = REFUND_KEY_PER_TERMINAL.lockMs ?? 0;

/** What a settled wrong key or code led to. */
export interface FailureOutcome {
  terminalLocked: boolean;
  merchantLocked: boolean;
}

/**
 * Refund lockouts on top of the attempt limiter: a refund key is claimed against its terminal and its merchant, a
 * one-time code against its refund and its merchant, before either is checked. Locks alert the owner and are audited.
 */
export class LockoutsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly attempts: AttemptLimiter,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly staff: StaffService,
    private readonly terminals: TerminalsService,
    private readonly recipients: Pick<RecipientsService, 'withRecipients'>,
  ) {}

  /** Refuse with 423 REFUNDS_LOCKED (and retry_after_s) while the terminal or its merchant is locked. */
  async assertUnlocked(terminal: TerminalContext, executor: Executor = this.db): Promise<void> {
    const seconds = await refundLockSeconds(
      executor,
      { terminalId: terminal.id, merchantId: terminal.merchantId },
      this.clock.now(),
    );
    if (seconds !== 0) throw locked(seconds);
  }

  /** Count a refund key attempt before it is verified; 423 when the terminal or merchant is at its limit. */
  async claimKey(terminal: TerminalContext): Promise<AttemptTicket> {
    const claim = await this.attempts.claim([
      terminalKeySubject(terminal.id, terminal.merchantId),
      merchantRefundSubject(terminal.merchantId),
    ]);
    if (!claim.ok) throw locked(claim.retryAfterS);
    return claim.ticket;
  }

  /**
   * Count a one-time code attempt inside the caller's transaction (which then reads the code under the same lock).
   * A refund whose codes are burned answers CODE_BURNED, whether the code sent is right or wrong.
   */
  async claimCode(trx: Executor, terminal: TerminalContext, refundId: string): Promise<AttemptTicket> {
    const claim = await this.attempts.claim(
      [refundCodeSubject(refundId, terminal.merchantId), merchantRefundSubject(terminal.merchantId)],
      trx,
    );
    if (claim.ok) return claim.ticket;
    if (claim.refusedBy.rule === REFUND_AUTH_PER_MERCHANT) throw locked(claim.retryAfterS);
    throw AppError.from(AuthorizationErrors, 'CODE_BURNED', { param: 'code', attempts_left: 0 });
  }

  /** Code attempts left for a refund (5 per refund, not given back by a resend). */
  codeAttemptsLeft(refundId: string, merchantId: string, executor?: Executor): Promise<number> {
    return this.attempts.attemptsLeft(refundCodeSubject(refundId, merchantId), executor);
  }

  /** Wrong refund key attempts this terminal may still make before it locks. */
  keyAttemptsLeft(terminal: TerminalContext, executor?: Executor): Promise<number> {
    return this.attempts.attemptsLeft(terminalKeySubject(terminal.id, terminal.merchantId), executor);
  }

  /** Verify a claimed key; a verification that fails without an answer (a busy pool) gives the claims back. */
  verifying<T>(ticket: AttemptTicket, check: () => Promise<T>): Promise<T> {
    return this.attempts.verifying(ticket, check);
  }

  /** The secret was right: give the claims back as the rules say, inside the transaction that uses it. */
  succeeded(ticket: AttemptTicket, trx: Executor): Promise<void> {
    return this.attempts.succeeded(ticket, trx);
  }

  /**
   * The secret was wrong: the claims stay counted; record the audit events with it, and when this failure locked the
   * terminal or the merchant, audit the lock and alert the owners. In the caller's transaction, or one of its own.
   */
  async failed(
    ticket: AttemptTicket,
    terminal: TerminalContext,
    events: AuditEvent[],
    trx?: Executor,
  ): Promise<FailureOutcome> {
    // Read before the transaction: on SQLite a query outside it would wait for the one connection it holds.
    const owners = trx ? [] : await this.ownersOf(terminal.merchantId);
    const run = async (executor: Executor): Promise<FailureOutcome> => {
      const lockedNow = await this.attempts.failed(ticket, executor);
      for (const event of events) await this.audit.record(executor, event);
      const outcome = {
        terminalLocked: lockedNow.some((s) => s.rule === REFUND_KEY_PER_TERMINAL),
        merchantLocked: lockedNow.some((s) => s.rule === REFUND_AUTH_PER_MERCHANT),
      };
      const alerted = trx ? await this.ownersOf(terminal.merchantId, executor) : owners;
      for (const subject of lockedNow) await this.lockedAlert(executor, terminal, subject, alerted);
      return outcome;
    };
    return trx ? run(trx) : this.db.transaction().execute(run);
  }

  /** The owner ends the merchant-wide lock early (route with fresh re-authentication). */
  async unlockMerchant(session: StaffSession, merchantId: string): Promise<{ merchant_id: string; locked: false }> {
    if (session.merchantId !== merchantId) throw AppError.from(CommonErrors, 'NOT_FOUND');
    await this.unlockAudited(session, merchantRefundSubject(merchantId), merchantId, {
      type: 'merchant',
      id: merchantId,
    });
    return { merchant_id: merchantId, locked: false };
  }

  /** The owner ends one terminal's lock early. */
  async unlockTerminal(session: StaffSession, terminalId: string): Promise<{ terminal_id: string; locked: false }> {
    const terminal = await this.terminals.findTerminal(terminalId);
    if (!terminal || terminal.merchantId !== session.merchantId) throw AppError.from(CommonErrors, 'NOT_FOUND');
    await this.unlockAudited(session, terminalKeySubject(terminalId, terminal.merchantId), terminal.merchantId, {
      type: 'terminal',
      id: terminalId,
    });
    return { terminal_id: terminalId, locked: false };
  }

  /** End a lock and audit who ended it, in one transaction. */
  private async unlockAudited(
    session: StaffSession,
    subject: AttemptSubject,
    merchantId: string,
    object: { type: 'merchant' | 'terminal'; id: string },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const had = await this.attempts.unlock({ ...subject, merchantId }, trx);
      await this.audit.record(trx, {
        merchantId,
        actor: { type: 'user', id: session.userId },
        event: 'refund.unlocked',
        outcome: 'success',
        origin: session.ip,
        object,
        detail: { scope: object.type, was_locked: had },
      });
    });
  }

  private async ownersOf(merchantId: string, executor?: Executor): Promise<StaffUser[]> {
    return (await this.staff.usersOfMerchant(merchantId, executor)).filter((u) => u.role === 'owner');
  }

  private async lockedAlert(
    trx: Executor,
    terminal: TerminalContext,
    subject: AttemptSubject,
    owners: StaffUser[],
  ): Promise<void> {
    if (subject.rule !== REFUND_KEY_PER_TERMINAL && subject.rule !== REFUND_AUTH_PER_MERCHANT) return;
    const scope = subject.rule === REFUND_KEY_PER_TERMINAL ? 'terminal' : 'merchant';
    const until = toIso(this.clock.now() + (subject.rule.lockMs ?? 0));
    await this.audit.record(trx, {
      merchantId: terminal.merchantId,
      actor: { type: 'system' },
      event: 'refund.lockout',
      outcome: 'info',
      origin: terminal.id,
      object:
        scope === 'terminal' ? { type: 'terminal', id: terminal.id } : { type: 'merchant', id: terminal.merchantId },
      detail: { scope, locked_until: until },
    });
    // The owners, and the merchant's verified notification recipients (read in the same transaction: see failed()).
    for (const to of await this.recipients.withRecipients(terminal.merchantId, destinationsOf(owners), trx)) {
      await this.outbox.enqueue(trx, {
        merchantId: terminal.merchantId,
        channel: to.channel,
        recipient: to.recipient,
        template: 'refund_lockout',
        locale: to.locale,
        params: { scope, terminal_id: terminal.id, store_id: terminal.storeId, locked_until: until },
      });
    }
  }
}

/** 423 REFUNDS_LOCKED, the same answer for a right and a wrong secret. */
export function locked(retryAfterS: number | null): AppError {
  return AppError.from(AuthorizationErrors, 'REFUNDS_LOCKED', {
    retry_after_s: retryAfterS ?? Math.ceil(LOCK_DURATION / 1000),
  });
}
