import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { AuditEvent } from '../audit/audit.service.js';
import { approversOf, destinationsOf } from '../authorization/approvers.js';
import { AuthorizationErrors } from '../authorization/authorization.errors.js';
import type { RefundCodeRow } from '../authorization/authorization.table.js';
import { LOCK_DURATION } from '../authorization/lockouts.service.js';
import { type CodeContext, MAX_CODE_FAILURES, MAX_CODES_PER_REFUND } from '../authorization/refund-codes.service.js';
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

const LOCKED = { retry_after_s: Math.ceil(LOCK_DURATION / 1000) };

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

  /** Check the factors sent, then move the refund on: partly authorized, pending approval, or completed. */
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
      code = await this.checkCode(terminal, refund, input.code, giveKey);
      satisfied.add('one_time_code');
    }
    await this.advance(terminal, refund, required, [...satisfied], code, giveKey);
  }

  /** A new code for the refund; the previous one stops working. The failure count stays. */
  async resendCode(terminal: TerminalContext, refund: RefundRow): Promise<void> {
    assertWaiting(refund);
    await this.authz.lockouts.assertUnlocked(terminal);
    const required = JSON.parse(refund.required) as AuthorizationFactor[];
    const satisfied = JSON.parse(refund.satisfied) as AuthorizationFactor[];
    if (!required.includes('one_time_code') || satisfied.includes('one_time_code'))
      throw AppError.from(AuthorizationErrors, 'CODE_NOT_REQUIRED');
    if (refund.code_failures >= MAX_CODE_FAILURES)
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

  private async checkKey(terminal: TerminalContext, refund: RefundRow, candidate: string): Promise<void> {
    const key = await this.refundKeys.status(terminal.merchantId, terminal.storeId);
    if (!key.set) throw AppError.from(RefundErrors, 'REFUND_KEY_NOT_SET');
    if (await this.refundKeys.verify(terminal.merchantId, terminal.storeId, candidate)) return;
    const outcome = await this.authz.lockouts.recordFailure(
      { terminal, refundId: refund.id, kind: 'refund_key' },
      async () => [this.failureEvent(refund, 'refund.key_wrong', {})],
    );
    if (outcome.terminalLocked || outcome.merchantLocked)
      throw AppError.from(AuthorizationErrors, 'REFUNDS_LOCKED', LOCKED);
    throw AppError.from(RefundErrors, 'REFUND_KEY_INVALID', {
      param: 'refund_key',
      attempts_left: outcome.keyAttemptsLeft,
    });
  }

  private async checkCode(
    terminal: TerminalContext,
    refund: RefundRow,
    candidate: string,
    keyOk: boolean,
  ): Promise<RefundCodeRow> {
    if (refund.code_failures >= MAX_CODE_FAILURES)
      throw AppError.from(AuthorizationErrors, 'CODE_BURNED', { param: 'code', attempts_left: 0 });
    const check = await this.authz.codes.check(refund, terminal.id, candidate);
    if (check.kind === 'match') return check.code;
    if (check.kind === 'used') throw AppError.from(AuthorizationErrors, 'CODE_ALREADY_USED', { param: 'code' });
    if (check.kind !== 'mismatch') throw AppError.from(AuthorizationErrors, 'CODE_EXPIRED', { param: 'code' });
    let left = 0;
    const outcome = await this.authz.lockouts.recordFailure(
      { terminal, refundId: refund.id, kind: 'one_time_code' },
      async (trx) => {
        // Counted atomically: however many wrong guesses arrive at once, never more than 5 count.
        const failures = await repo.countCodeFailure(trx, refund.id, MAX_CODE_FAILURES);
        if (failures === undefined) return false;
        left = MAX_CODE_FAILURES - failures;
        if (keyOk) await this.authz.lockouts.recordKeySuccess(trx, terminal.id);
        const events = [this.failureEvent(refund, 'refund.code_wrong', { attempts_left: left })];
        if (left === 0) events.push(this.failureEvent(refund, 'refund.code_burned', {}));
        return events;
      },
    );
    if (outcome.merchantLocked) throw AppError.from(AuthorizationErrors, 'REFUNDS_LOCKED', LOCKED);
    if (!outcome.counted || left === 0)
      throw AppError.from(AuthorizationErrors, 'CODE_BURNED', { param: 'code', attempts_left: 0 });
    throw AppError.from(AuthorizationErrors, 'CODE_INVALID', { param: 'code', attempts_left: left });
  }

  /** One transaction: use the code once, then record the factors, ask for approval, or claim the refund. */
  private async advance(
    terminal: TerminalContext,
    refund: RefundRow,
    required: AuthorizationFactor[],
    satisfied: AuthorizationFactor[],
    code: RefundCodeRow | undefined,
    keyOk: boolean,
  ): Promise<void> {
    const complete = required.every((f) => satisfied.includes(f));
    const awaitingApproval =
      !complete && required.includes('approval') && required.every((f) => f === 'approval' || satisfied.includes(f));
    const approvers = awaitingApproval ? await this.authz.approvals.approversFor(refund) : [];
    const codeExpiry = complete || awaitingApproval ? null : await this.authz.codes.currentExpiry(refund.id);
    const operator = { type: 'operator' as const, id: refund.operator_id };
    const outcome = await this.db.transaction().execute(async (trx): Promise<ClaimOutcome | 'waiting'> => {
      const now = this.clock.now();
      if (code) {
        // The refund row is held first, so a correct code and concurrent wrong ones are decided one after the other.
        if (!(await repo.holdForCode(trx, refund.id, MAX_CODE_FAILURES, now)))
          throw AppError.from(RefundErrors, 'REFUND_NOT_AUTHORIZABLE');
        if (!(await this.authz.codes.consume(trx, code)))
          throw AppError.from(AuthorizationErrors, 'CODE_ALREADY_USED', { param: 'code' });
      }
      if (keyOk) await this.authz.lockouts.recordKeySuccess(trx, terminal.id);
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
