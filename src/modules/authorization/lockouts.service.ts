import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, MINUTE, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { newId } from '../../lib/random.js';
import type { AuditEvent, AuditService } from '../audit/audit.service.js';
import type { StaffSession } from '../auth/request-context.js';
import type { OutboxService } from '../notify/outbox.service.js';
import type { StaffService, StaffUser } from '../staff/staff.service.js';
import type { TerminalContext, TerminalsService } from '../terminals/terminals.service.js';
import { destinationsOf } from './approvers.js';
import { AuthorizationErrors } from './authorization.errors.js';
import * as repo from './locks.repository.js';

// SECURITY.md "Refund key attempts and lockout" and "Spraying".
export const TERMINAL_KEY_FAILURE_LIMIT = 5;
export const MERCHANT_FAILURE_LIMIT = 10;
export const MERCHANT_FAILURE_WINDOW = 30 * MINUTE;
export const LOCK_DURATION = 30 * MINUTE;

export type FailureKind = 'refund_key' | 'one_time_code';

/** What a recorded failure led to. */
export interface FailureOutcome {
  terminalLocked: boolean;
  /** Wrong keys this terminal may still enter before it locks (only for a wrong key). */
  keyAttemptsLeft?: number;
  merchantLocked: boolean;
  counted?: boolean;
}

/**
 * Refund lockouts, counted in the database with single conditional statements and row locks, so that restarts and
 * several instances share one count.
 */
export class LockoutsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly staff: StaffService,
    private readonly terminals: TerminalsService,
  ) {}

  /** Refuse with 423 REFUNDS_LOCKED (and retry_after_s) while the terminal or its merchant is locked. */
  async assertUnlocked(terminal: TerminalContext): Promise<void> {
    const now = this.clock.now();
    const locks = await repo.activeLocks(
      this.db,
      [repo.terminalScope(terminal.id), repo.merchantScope(terminal.merchantId)],
      now,
    );
    if (locks.length === 0) return;
    const until = Math.max(...locks.map((l) => l.locked_until));
    throw AppError.from(AuthorizationErrors, 'REFUNDS_LOCKED', { retry_after_s: Math.ceil((until - now) / 1000) });
  }

  /**
   * Count a wrong key or code in one transaction with the caller's own writes for it (`alongside`, which answers the
   * audit events to record, or false when the failure does not count, e.g. a code already burned by concurrent
   * guesses); locks and alerts the owner when a limit is reached. Committed even though the request then fails.
   */
  async recordFailure(
    input: { terminal: TerminalContext; refundId: string; kind: FailureKind },
    alongside: (trx: Executor) => Promise<AuditEvent[] | false>,
  ): Promise<FailureOutcome> {
    // Read before the transaction: on SQLite a query outside it would wait for the one connection it holds.
    const owners = (await this.staff.usersOfMerchant(input.terminal.merchantId)).filter((u) => u.role === 'owner');
    return this.db.transaction().execute(async (trx) => {
      const events = await alongside(trx);
      if (events === false) return { terminalLocked: false, merchantLocked: false, counted: false };
      const outcome = await this.count(trx, input);
      // The audit chain head is locked last in every transaction, so that row locks are always taken in one order.
      for (const event of events) await this.audit.record(trx, event);
      const until = this.clock.now() + LOCK_DURATION;
      if (outcome.terminalLocked) await this.locked(trx, input.terminal, 'terminal', until, owners);
      if (outcome.merchantLocked) await this.locked(trx, input.terminal, 'merchant', until, owners);
      return { ...outcome, counted: true };
    });
  }

  private async count(
    trx: Executor,
    input: { terminal: TerminalContext; refundId: string; kind: FailureKind },
  ): Promise<FailureOutcome> {
    const { terminal } = input;
    const now = this.clock.now();
    let terminalLocked = false;
    let keyAttemptsLeft: number | undefined;
    if (input.kind === 'refund_key') {
      const row = await repo.countTerminalFailure(trx, {
        scope: repo.terminalScope(terminal.id),
        merchantId: terminal.merchantId,
        limit: TERMINAL_KEY_FAILURE_LIMIT,
        now,
        lockUntil: now + LOCK_DURATION,
      });
      terminalLocked = row.consecutive_failures === 0 && row.locked_until === now + LOCK_DURATION;
      keyAttemptsLeft = terminalLocked ? 0 : TERMINAL_KEY_FAILURE_LIMIT - row.consecutive_failures;
    }
    // The merchant row is locked by this upsert until commit, so concurrent failures count one after the other.
    const scope = repo.merchantScope(terminal.merchantId);
    const merchantRow = await repo.touchMerchantRow(trx, scope, terminal.merchantId, now);
    await repo.insertFailure(trx, {
      id: newId('raf'),
      merchant_id: terminal.merchantId,
      terminal_id: terminal.id,
      refund_id: input.refundId,
      kind: input.kind,
      at: now,
    });
    const since = Math.max(now - MERCHANT_FAILURE_WINDOW, merchantRow.reset_at);
    const failures = await repo.countFailuresSince(trx, terminal.merchantId, since);
    const merchantLocked = failures >= MERCHANT_FAILURE_LIMIT && merchantRow.locked_until <= now;
    if (merchantLocked) {
      await repo.lockScope(trx, scope, now + LOCK_DURATION, now);
    }
    return { terminalLocked, merchantLocked, ...(keyAttemptsLeft === undefined ? {} : { keyAttemptsLeft }) };
  }

  /** A correct key ends the run of consecutive wrong keys on this terminal. */
  async recordKeySuccess(trx: Executor, terminalId: string): Promise<void> {
    await repo.resetConsecutive(trx, repo.terminalScope(terminalId), this.clock.now());
  }

  /** The owner ends the merchant-wide lock early (route with fresh re-authentication). */
  async unlockMerchant(session: StaffSession, merchantId: string): Promise<{ merchant_id: string; locked: false }> {
    if (session.merchantId !== merchantId) throw AppError.from(CommonErrors, 'NOT_FOUND');
    await this.unlockAudited(session, merchantId, repo.merchantScope(merchantId), { type: 'merchant', id: merchantId });
    return { merchant_id: merchantId, locked: false };
  }

  /** The owner ends one terminal's lock early. */
  async unlockTerminal(session: StaffSession, terminalId: string): Promise<{ terminal_id: string; locked: false }> {
    const terminal = await this.terminals.findTerminal(terminalId);
    if (!terminal || terminal.merchantId !== session.merchantId) throw AppError.from(CommonErrors, 'NOT_FOUND');
    await this.unlockAudited(session, terminal.merchantId, repo.terminalScope(terminalId), {
      type: 'terminal',
      id: terminalId,
    });
    return { terminal_id: terminalId, locked: false };
  }

  /** End a lock and audit who ended it, in one transaction. */
  private async unlockAudited(
    session: StaffSession,
    merchantId: string,
    scope: string,
    object: { type: 'merchant' | 'terminal'; id: string },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const had = await repo.unlock(trx, scope, merchantId, this.clock.now());
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

  private async locked(
    trx: Executor,
    terminal: TerminalContext,
    scope: 'terminal' | 'merchant',
    until: number,
    owners: StaffUser[],
  ): Promise<void> {
    await this.audit.record(trx, {
      merchantId: terminal.merchantId,
      actor: { type: 'system' },
      event: 'refund.lockout',
      outcome: 'info',
      origin: terminal.id,
      object:
        scope === 'terminal' ? { type: 'terminal', id: terminal.id } : { type: 'merchant', id: terminal.merchantId },
      detail: { scope, locked_until: toIso(until) },
    });
    for (const to of destinationsOf(owners)) {
      await this.outbox.enqueue(trx, {
        merchantId: terminal.merchantId,
        channel: to.channel,
        recipient: to.recipient,
        template: 'refund_lockout',
        locale: to.locale,
        params: { scope, terminal_id: terminal.id, store_id: terminal.storeId, locked_until: toIso(until) },
      });
    }
  }
}
