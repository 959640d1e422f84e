import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import {
  type AttemptLimiter,
  type AttemptSubject,
  type AttemptTicket,
  OPERATOR_PIN_PER_OPERATOR,
  OPERATOR_PIN_PER_TERMINAL,
} from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import { destinationsOf, type OutboxService } from '../notify/index.js';
import type { StaffService } from '../staff/index.js';
import { TerminalErrors } from './terminals.errors.js';

interface At {
  id: string;
  merchantId: string;
  storeId: string;
}

/**
 * Attempt limits and audit of operator sign-in (docs/security.md "Attempt limits"): 5 wrong passwords of one operator
 * number on one terminal lock that number there for 15 minutes; 10 wrong on one terminal in 15 minutes lock its
 * sign-in; the owner hears of each lock; every sign-in, good or bad, is in the audit log.
 */
export class OperatorSignIns {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly attempts: AttemptLimiter,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly staff: StaffService,
  ) {}

  /** Count the attempt before the password is checked; 423 OPERATOR_LOCKED (audited) at the limit. */
  async claim(terminal: At, operatorNo: string, origin: string): Promise<AttemptTicket> {
    const claim = await this.attempts.claim(subjectsOf(terminal, operatorNo));
    if (claim.ok) return claim.ticket;
    await this.audit.record(undefined, signInEvent(terminal, operatorNo, origin, 'failure', { reason: 'locked' }));
    throw locked(claim.retryAfterS === null ? null : claim.retryAfterS * 1000);
  }

  /** Verify a claimed password; a verification that fails without an answer (a busy pool) gives the claims back. */
  verifying<T>(ticket: AttemptTicket, check: () => Promise<T>): Promise<T> {
    return this.attempts.verifying(ticket, check);
  }

  /** A wrong password: counted, audited, and when it locked something the owners are told. Answers attempts left. */
  async failed(ticket: AttemptTicket, terminal: At, operatorNo: string, origin: string): Promise<number> {
    const owners = (await this.staff.usersOfMerchant(terminal.merchantId)).filter((u) => u.role === 'owner');
    return this.db.transaction().execute(async (trx) => {
      const lockedNow = await this.attempts.failed(ticket, trx);
      const left = await this.attempts.attemptsLeft(subjectsOf(terminal, operatorNo)[0] as AttemptSubject, trx);
      await this.audit.record(
        trx,
        signInEvent(terminal, operatorNo, origin, 'failure', { reason: 'bad_credentials', attempts_left: left }),
      );
      for (const subject of lockedNow) {
        const scope = subject.rule === OPERATOR_PIN_PER_OPERATOR ? 'operator' : 'terminal';
        const until = toIso(this.clock.now() + (subject.rule.lockMs ?? 0));
        await this.audit.record(trx, {
          merchantId: terminal.merchantId,
          actor: { type: 'system' },
          event: 'operator.lockout',
          outcome: 'info',
          origin,
          object: { type: 'terminal', id: terminal.id },
          detail: { scope, operator_no: operatorNo, locked_until: until },
        });
        for (const to of destinationsOf(owners)) {
          await this.outbox.enqueue(trx, {
            merchantId: terminal.merchantId,
            channel: to.channel,
            recipient: to.recipient,
            template: 'operator_lockout',
            locale: to.locale,
            params: {
              scope,
              operator_no: operatorNo,
              terminal_id: terminal.id,
              store_id: terminal.storeId,
              locked_until: until,
            },
          });
        }
      }
      return lockedNow.length > 0 ? 0 : left;
    });
  }

  /** The right password: the claims are given back and the sign-in audited, in the caller's transaction. */
  async succeeded(
    trx: Executor,
    ticket: AttemptTicket,
    terminal: At,
    operator: { id: string; operatorNo: string },
    origin: string,
  ): Promise<void> {
    await this.attempts.succeeded(ticket, trx);
    await this.audit.record(trx, {
      ...signInEvent(terminal, operator.operatorNo, origin, 'success', {}),
      actor: { type: 'operator', id: operator.id },
    });
  }

  /** An owner or manager ends the sign-in locks of a terminal and of every operator number on it, audited. */
  async unlock(session: { userId: string; ip: string }, terminal: At): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const operators = await this.attempts.unlockAll(
        OPERATOR_PIN_PER_OPERATOR,
        `${terminal.id}:`,
        terminal.merchantId,
        trx,
      );
      const whole = await this.attempts.unlock(
        subjectsOf(terminal, '')[1] as AttemptSubject & { merchantId: string },
        trx,
      );
      await this.audit.record(trx, {
        merchantId: terminal.merchantId,
        actor: { type: 'user', id: session.userId },
        event: 'operator.unlocked',
        outcome: 'success',
        origin: session.ip,
        object: { type: 'terminal', id: terminal.id },
        detail: { operators, terminal: whole },
      });
      return operators > 0 || whole;
    });
  }
}

/** The operator number on this terminal, then the terminal: the same order everywhere. */
function subjectsOf(terminal: At, operatorNo: string): AttemptSubject[] {
  return [
    { rule: OPERATOR_PIN_PER_OPERATOR, subject: `${terminal.id}:${operatorNo}`, merchantId: terminal.merchantId },
    { rule: OPERATOR_PIN_PER_TERMINAL, subject: terminal.id, merchantId: terminal.merchantId },
  ];
}

function signInEvent(
  terminal: At,
  operatorNo: string,
  origin: string,
  outcome: 'success' | 'failure',
  detail: Record<string, unknown>,
) {
  return {
    merchantId: terminal.merchantId,
    actor: { type: 'anonymous' as const },
    event: 'operator.sign_in',
    outcome,
    origin,
    object: { type: 'terminal', id: terminal.id },
    detail: { operator_no: operatorNo, store_id: terminal.storeId, ...detail },
  };
}

/** 423 OPERATOR_LOCKED with retry_after_s; the same for a right and a wrong password. */
export function locked(lockMs: number | null): AppError {
  return AppError.from(TerminalErrors, 'OPERATOR_LOCKED', {
    retry_after_s: Math.ceil((lockMs ?? OPERATOR_PIN_PER_OPERATOR.lockMs ?? 0) / 1000),
  });
}
