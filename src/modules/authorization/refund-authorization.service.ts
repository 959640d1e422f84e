import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { together } from '../../lib/together.js';
import type { AttemptTicket } from '../attempts/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { Destination } from '../notify/index.js';
import type { RefundKeyGuard, RefundKeysService } from '../refund-keys/index.js';
import {
  type AuthorizationFactor,
  missingFactors,
  type NextStep,
  nextStep,
  type RefundRecord,
  refundAuditEvent,
} from '../refund-model/index.js';
import type { StaffUser } from '../staff/index.js';
import type { TerminalContext } from '../terminals/index.js';
import type { ApprovalsService } from './approvals.service.js';
import { approversOf, destinationsOf } from './approvers.js';
import { AuthorizationErrors } from './authorization.errors.js';
import type { RefundCode } from './authorization.table.js';
import { type LockoutsService, locked } from './lockouts.service.js';
import type { CodeContext, RefundCodesService } from './refund-codes.service.js';

/** The secrets a terminal sends to authorize a refund. */
export interface FactorsGiven {
  refund_key?: string | undefined;
  code?: string | undefined;
}

/** What the checks decided; the refunds module applies it in one transaction. */
export interface Decision {
  /** Every factor given so far, this request's included. */
  satisfied: AuthorizationFactor[];
  next: NextStep;
  /** The right one-time code of this request, to be used once where the refund moves on. */
  code: RefundCode | undefined;
  /** Who is asked when the refund now waits for a second person. */
  approvers: Destination[];
  /** When the refund's current code stops working, while it still waits for a factor. */
  codeExpiry: number | null;
  /**
   * Gives back the attempts this request claimed for a right refund key, in the transaction that applies the decision
   * (one commit fewer than a transaction of its own); the applier calls it again in a transaction of its own when that
   * one fails, so a right key is never left counted.
   */
  giveBackAttempts: (trx: Executor) => Promise<void>;
}

/**
 * One owner for refund authorization decisions: checks the refund key and the one-time code against their attempt
 * limits (docs/security.md "Attempt limits", "Refund authorization") and says where the refund goes next. It reads
 * and counts, and never moves a refund: that is the refunds module's transaction.
 */
export class RefundAuthorizationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly merchants: MerchantsService,
    private readonly refundKeys: RefundKeysService,
    readonly lockouts: LockoutsService,
    readonly codes: RefundCodesService,
    readonly approvals: ApprovalsService,
  ) {}

  /** Check the factors sent for a waiting refund; throws the refusal, or answers the decision. */
  async decide(terminal: TerminalContext, refund: RefundRecord, given: FactorsGiven): Promise<Decision> {
    const missing = missingFactors(refund);
    const giveKey = missing.includes('refund_key') && given.refund_key !== undefined;
    const giveCode = missing.includes('one_time_code') && given.code !== undefined;
    // The key is resolved beside the lock check (both reads); the lock still answers first.
    const [, key] = await together(
      this.lockouts.assertUnlocked(terminal),
      giveKey ? this.refundKeys.guard(refund.merchant_id, refund.store_id) : undefined,
    );
    if (!giveKey && !giveCode)
      throw AppError.from(AuthorizationErrors, 'AUTHORIZATION_FACTOR_MISSING', {
        param: missing.includes('refund_key') ? 'refund_key' : 'code',
      });
    const satisfied = [...refund.satisfied];
    let giveBackAttempts = async (_trx: Executor) => {};
    if (key && given.refund_key !== undefined) {
      const ticket = await this.checkKey(terminal, refund, key, given.refund_key);
      giveBackAttempts = (trx) => this.lockouts.succeeded(ticket, trx);
      satisfied.push('refund_key');
    }
    let code: RefundCode | undefined;
    if (giveCode && given.code !== undefined) {
      code = await this.checkCode(terminal, refund, given.code);
      satisfied.push('one_time_code');
    }
    const next = nextStep(refund.required, satisfied);
    return {
      satisfied,
      next,
      code,
      approvers: next === 'approval' ? await this.approvals.approversFor(refund) : [],
      codeExpiry: next === 'factor' ? await this.codes.currentExpiry(refund.id) : null,
      giveBackAttempts,
    };
  }

  /** Where a refund's codes go: the store's approvers' phones and e-mails; refused when there is none. */
  async codeContext(storeId: string, users: StaffUser[]): Promise<CodeContext> {
    const destinations = destinationsOf(approversOf(users, storeId));
    if (destinations.length === 0) throw AppError.from(AuthorizationErrors, 'NO_CODE_RECIPIENTS');
    const store = await this.merchants.getStore(storeId);
    return { storeName: store.name, destinations };
  }

  /**
   * The refund key of the refund's store: claimed against the terminal and merchant limits, then verified. Answers the
   * claim of a right key, which the decision gives back where it is applied.
   */
  private async checkKey(
    terminal: TerminalContext,
    refund: RefundRecord,
    key: RefundKeyGuard,
    candidate: string,
  ): Promise<AttemptTicket> {
    // Resolved once: the key whose status is checked here is the key the candidate is verified against.
    if (!key.set) throw AppError.from(AuthorizationErrors, 'REFUND_KEY_NOT_SET');
    const ticket = await this.lockouts.claimKey(terminal);
    const right = await this.lockouts.verifying(ticket, () => key.verify(candidate));
    if (right) return ticket;
    const outcome = await this.lockouts.failed(ticket, terminal, [
      refundAuditEvent(refund, 'refund.key_wrong', 'failure', {}),
    ]);
    if (outcome.terminalLocked || outcome.merchantLocked) throw locked(null);
    throw AppError.from(AuthorizationErrors, 'REFUND_KEY_INVALID', {
      param: 'refund_key',
      attempts_left: await this.lockouts.keyAttemptsLeft(terminal),
    });
  }

  /**
   * One transaction counts the attempt against the refund's 5 and the merchant's 10, then compares the code with the
   * refund's current code read under the same lock. A right code that comes after the limit gets the answer a wrong
   * one gets (CODE_BURNED), so a burst cannot tell which guess was right.
   */
  private async checkCode(terminal: TerminalContext, refund: RefundRecord, candidate: string): Promise<RefundCode> {
    const result = await this.db.transaction().execute(async (trx) => {
      const ticket = await this.lockouts.claimCode(trx, terminal, refund.id);
      const check = await this.codes.check(refund, terminal.id, candidate, trx);
      if (check.kind !== 'mismatch') {
        // The right code: its claim is given back; using it is decided where the refund moves on.
        await this.lockouts.succeeded(ticket, trx);
        return check;
      }
      const left = await this.lockouts.codeAttemptsLeft(refund.id, refund.merchant_id, trx);
      const events = [refundAuditEvent(refund, 'refund.code_wrong', 'failure', { attempts_left: left })];
      if (left === 0) events.push(refundAuditEvent(refund, 'refund.code_burned', 'failure', {}));
      const outcome = await this.lockouts.failed(ticket, terminal, events, trx);
      return { kind: 'wrong' as const, left, outcome };
    });
    if (result.kind === 'match') return result.code;
    if (result.kind === 'used') throw AppError.from(AuthorizationErrors, 'CODE_ALREADY_USED', { param: 'code' });
    if (result.kind !== 'wrong') throw AppError.from(AuthorizationErrors, 'CODE_EXPIRED', { param: 'code' });
    if (result.outcome.merchantLocked) throw locked(null);
    if (result.left === 0) throw AppError.from(AuthorizationErrors, 'CODE_BURNED', { param: 'code', attempts_left: 0 });
    throw AppError.from(AuthorizationErrors, 'CODE_INVALID', { param: 'code', attempts_left: result.left });
  }
}
