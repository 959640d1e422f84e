import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { AuditEvent } from '../audit/audit.service.js';
import { approversOf, destinationsOf } from '../authorization/approvers.js';
import { AuthorizationErrors } from '../authorization/authorization.errors.js';
import type { RefundCodeRow } from '../authorization/authorization.table.js';
import { locked } from '../authorization/lockouts.service.js';
import { type CodeContext, MAX_CODES_PER_REFUND } from '../authorization/refund-codes.service.js';
import type { MerchantsService } from '../merchants/merchants.service.js';
import type { RefundKeysService } from '../refund-keys/refund-keys.service.js';
import type { StaffUser } from '../staff/staff.service.js';
import type { TerminalContext } from '../terminals/terminals.service.js';
import { refundAuditEvent } from './refund-audit.js';
import { REFUND_INACTIVITY, type RefundAuthorizationDeps, waitingUntil } from './refund-deps.js';
import type { ClaimOutcome, RefundLedger } from './refund-ledger.js';
import { RefundErrors } from './refunds.errors.js';
import * as repo from './refunds.repository.js';
import type { AuthorizeRefundBody } from './refunds.schemas.js';
import type { AuthorizationFactor, RefundRow } from './refunds.table.js';

/**
 * The authorization of one refund at its terminal: refund key, one-time code, then approval or completion.
 * Wrong entries are counted (and may lock) in their own committed transaction; everything else of a refused request
 * is rolled back.
 */
export class RefundAuthorizer {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly merchants: MerchantsService,
    private readonly ledger: RefundLedger,
    private readonly refundKeys: RefundKeysService,
    private readonly authz: RefundAuthorizationDeps,
  ) {}

  /**
   * Check the factors sent, then move the refund on: partly authorized, pending approval, or completed. Each secret is
   * claimed against its attempt limits before it is checked (docs/security.md "Attempt limits").
   */
  async authorize(terminal: TerminalContext, refund: RefundRow, input: AuthorizeRefundBody): Promise<void> {
    assertWaiting(refund);
    await this.authz.lockouts.assertUnlocked(terminal);
    const required = JSON.parse(refund.required) as AuthorizationFactor[];
    const satisfied = new Set(JSON.parse(refund.satisfied) as AuthorizationFactor[]);
    const needKey = required.includes('refund_key') && !satisfied.has('refund_key');
    const needCode = required.includes('one_time_code') && !satisfied.has('one_time_code');
    const giveKey = needKey && input.refund_key !== undefined;
    const giveCode = needCode && input.code !== undefined;
    if (!giveKey && !giveCode)
      throw AppError.from(RefundErrors, 'AUTHORIZATION_FACTOR_MISSING', { param: needKey ? 'refund_key' : 'code' });

    if (giveKey && input.refund_key !== undefined) {
      await this.checkKey(terminal, refund, input.refund_key);
      satisfied.add('refund_key');
    }
    let code: RefundCodeRow | undefined;
    if (giveCode && input.code !== undefined) {
      code = await this.checkCode(terminal, refund, input.code);
      satisfied.add('one_time_code');
    }
    await this.advance(terminal, refund, required, [...satisfied], code);
  }

  /** A new code for the refund; the previous one stops working. The failure count stays. */
  async resendCode(terminal: TerminalContext, refund: RefundRow): Promise<void> {
    assertWaiting(refund);
    await this.authz.lockouts.assertUnlocked(terminal);
    const required = JSON.parse(refund.required) as AuthorizationFactor[];
    const satisfied = JSON.parse(refund.satisfied) as AuthorizationFactor[];
    if (!required.includes('one_time_code') || satisfied.includes('one_time_code'))
      throw AppError.from(AuthorizationErrors, 'CODE_NOT_REQUIRED');
    if ((await this.authz.lockouts.codeAttemptsLeft(refund.id, refund.merchant_id)) === 0)
      throw AppError.from(AuthorizationErrors, 'CODE_BURNED', { attempts_left: 0 });
    if (refund.codes_issued >= MAX_CODES_PER_REFUND) throw AppError.from(AuthorizationErrors, 'CODE_RESEND_LIMIT');
    const context = await this.codeContext(refund.store_id, await this.authz.staff.usersOfMerchant(refund.merchant_id));
    await this.db.transaction().execute(async (trx) => {
      // Counted with one conditional statement: concurrent resends never issue a 4th code.
      const seq = await repo.countCodeIssued(trx, refund.id, MAX_CODES_PER_REFUND);
      if (seq === undefined) throw AppError.from(AuthorizationErrors, 'CODE_RESEND_LIMIT');
      const code = await this.authz.codes.issue(trx, refund, seq, context);
      const now = this.clock.now();
      await repo.transition(trx, refund.id, ['requires_authorization'], {
        expires_at: waitingUntil(now, code.expires_at),
        updated_at: now,
      });
    });
  }

  /** Where a refund's codes go: the store's approvers' phones and e-mails; refused when there is none. */
  async codeContext(storeId: string, users: StaffUser[]): Promise<CodeContext> {
    const destinations = destinationsOf(approversOf(users, storeId));
    if (destinations.length === 0) throw AppError.from(AuthorizationErrors, 'NO_CODE_RECIPIENTS');
    const store = await this.merchants.getStore(storeId);
    return { storeName: store.name, destinations };
  }

  /** The refund key of the refund's store: claimed against the terminal and merchant limits, then verified. */
  private async checkKey(terminal: TerminalContext, refund: RefundRow, candidate: string): Promise<void> {
    const key = await this.refundKeys.status(refund.merchant_id, refund.store_id);
    if (!key.set) throw AppError.from(RefundErrors, 'REFUND_KEY_NOT_SET');
    const ticket = await this.authz.lockouts.claimKey(terminal);
    if (await this.refundKeys.verify(refund.merchant_id, refund.store_id, candidate)) {
      await this.db.transaction().execute((trx) => this.authz.lockouts.succeeded(ticket, trx));
      return;
    }
    const outcome = await this.authz.lockouts.failed(ticket, terminal, [
      this.failureEvent(refund, 'refund.key_wrong', {}),
    ]);
    if (outcome.terminalLocked || outcome.merchantLocked) throw locked(null);
    throw AppError.from(RefundErrors, 'REFUND_KEY_INVALID', {
      param: 'refund_key',
      attempts_left: await this.authz.lockouts.keyAttemptsLeft(terminal),
    });
  }

  /**
   * One transaction counts the attempt against the refund's 5 and the merchant's 10, then compares the code with the
   * refund's current code read under the same lock. A right code that comes after the limit gets the answer a wrong
   * one gets (CODE_BURNED), so a burst cannot tell which guess was right.
   */
  private async checkCode(terminal: TerminalContext, refund: RefundRow, candidate: string): Promise<RefundCodeRow> {
    const result = await this.db.transaction().execute(async (trx) => {
      const ticket = await this.authz.lockouts.claimCode(trx, terminal, refund.id);
      const check = await this.authz.codes.check(refund, terminal.id, candidate, trx);
      if (check.kind !== 'mismatch') {
        // The right code: its claim is given back; using it is decided where the refund moves on.
        await this.authz.lockouts.succeeded(ticket, trx);
        return check;
      }
      const left = await this.authz.lockouts.codeAttemptsLeft(refund.id, refund.merchant_id, trx);
      const events = [this.failureEvent(refund, 'refund.code_wrong', { attempts_left: left })];
      if (left === 0) events.push(this.failureEvent(refund, 'refund.code_burned', {}));
      const outcome = await this.authz.lockouts.failed(ticket, terminal, events, trx);
      return { kind: 'wrong' as const, left, outcome };
    });
    if (result.kind === 'match') return result.code;
    if (result.kind === 'used') throw AppError.from(AuthorizationErrors, 'CODE_ALREADY_USED', { param: 'code' });
    if (result.kind !== 'wrong') throw AppError.from(AuthorizationErrors, 'CODE_EXPIRED', { param: 'code' });
    if (result.outcome.merchantLocked) throw locked(null);
    if (result.left === 0) throw AppError.from(AuthorizationErrors, 'CODE_BURNED', { param: 'code', attempts_left: 0 });
    throw AppError.from(AuthorizationErrors, 'CODE_INVALID', { param: 'code', attempts_left: result.left });
  }

  /** One transaction: use the code once, then record the factors, ask for approval, or claim the refund. */
  private async advance(
    terminal: TerminalContext,
    refund: RefundRow,
    required: AuthorizationFactor[],
    satisfied: AuthorizationFactor[],
    code: RefundCodeRow | undefined,
  ): Promise<void> {
    const complete = required.every((f) => satisfied.includes(f));
    const awaitingApproval =
      !complete && required.includes('approval') && required.every((f) => f === 'approval' || satisfied.includes(f));
    const approvers = awaitingApproval ? await this.authz.approvals.approversFor(refund) : [];
    const codeExpiry = complete || awaitingApproval ? null : await this.authz.codes.currentExpiry(refund.id);
    const operator = { type: 'operator' as const, id: refund.operator_id };
    const outcome = await this.db.transaction().execute(async (trx): Promise<ClaimOutcome | 'waiting'> => {
      const now = this.clock.now();
      // A lock that a concurrent burst started after this request's secrets were checked still stops it here.
      await this.authz.lockouts.assertUnlocked(terminal, trx);
      if (code && !(await this.authz.codes.consume(trx, code)))
        throw AppError.from(AuthorizationErrors, 'CODE_ALREADY_USED', { param: 'code' });
      if (complete) {
        const claimed = await this.ledger.claim(trx, refund, satisfied, operator);
        if (claimed === 'lost') throw AppError.from(RefundErrors, 'REFUND_NOT_AUTHORIZABLE');
        return claimed;
      }
      const set = { satisfied: JSON.stringify(satisfied), updated_at: now };
      if (awaitingApproval) {
        const expiresAt = now + REFUND_INACTIVITY;
        const moved = await repo.transition(trx, refund.id, ['requires_authorization'], {
          ...set,
          status: 'pending_approval',
          expires_at: expiresAt,
        });
        if (!moved) throw AppError.from(RefundErrors, 'REFUND_NOT_AUTHORIZABLE');
        await this.factorsEvent(trx, refund, satisfied, 'approval');
        await this.authz.approvals.request(trx, refund, expiresAt, approvers);
        return 'waiting';
      }
      if (
        !(await repo.updateWaiting(trx, refund.id, refund.satisfied, {
          ...set,
          expires_at: waitingUntil(now, codeExpiry),
        }))
      ) {
        throw AppError.from(RefundErrors, 'REFUND_NOT_AUTHORIZABLE');
      }
      await this.factorsEvent(trx, refund, satisfied, required.find((f) => !satisfied.includes(f)) ?? null);
      return 'waiting';
    });
    if (outcome !== 'waiting') await this.ledger.afterClaim(refund, outcome);
  }

  private failureEvent(refund: RefundRow, event: string, detail: Record<string, unknown>): AuditEvent {
    return refundAuditEvent(refund, event, 'failure', detail);
  }

  private async factorsEvent(
    trx: Executor,
    refund: RefundRow,
    satisfied: AuthorizationFactor[],
    next: AuthorizationFactor | null,
  ): Promise<void> {
    await this.authz.audit.record(
      trx,
      refundAuditEvent(refund, 'refund.factors_accepted', 'success', { satisfied, next }),
    );
  }
}

function assertWaiting(refund: RefundRow): void {
  if (refund.status === 'requires_authorization') return;
  throw AppError.from(RefundErrors, refund.status === 'expired' ? 'REFUND_EXPIRED' : 'REFUND_NOT_AUTHORIZABLE', {
    status: refund.status,
  });
}
