import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, MINUTE, toIso } from '../../lib/clock.js';
import type { Hmac } from '../../lib/hashing.js';
import { formatYuan } from '../../lib/money.js';
import { newId, type RandomSource, randomDigits } from '../../lib/random.js';
import { type AttemptLimiter, REFUND_CODE_PER_REFUND, refundCodeSubject } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import { type AuthorizationDetails, type RefundRecord, refundAuditEvent } from '../refund-model/index.js';
import { type Destination, maskDestination } from './approvers.js';
import type { RefundCode } from './authorization.table.js';
import * as repo from './codes.repository.js';

/** docs/security.md "Refund authorization"; wrong entries are counted by REFUND_CODE_PER_REFUND. */
export const MAX_CODES_PER_REFUND = 3;
export const MAX_CODE_FAILURES = REFUND_CODE_PER_REFUND.limit;

export interface RefundCodeSettings {
  /** 6 by default, 8 configurable. */
  digits: number;
  /** 5 minutes by default, 1..10 configurable. */
  lifetimeMs: number;
}

export const DEFAULT_CODE_SETTINGS: RefundCodeSettings = { digits: 6, lifetimeMs: 5 * MINUTE };

/** What the message says, so the reader knows what they approve (PSD2 Art. 5). */
export interface CodeContext {
  storeName: string;
  destinations: Destination[];
}

export type CodeCheck = { kind: 'match'; code: RefundCode } | { kind: 'mismatch' | 'expired' | 'used' | 'none' };

/** One-time refund codes: random, bound by HMAC to refund, amount, sale and terminal, delivered through the outbox. */
export class RefundCodesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly random: RandomSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly attempts: AttemptLimiter,
    private readonly settings: RefundCodeSettings = DEFAULT_CODE_SETTINGS,
  ) {}

  /**
   * Issue a new code for a refund inside the caller's transaction: the previous one stops working, the code is queued
   * to every approver sealed, and only its HMAC is kept. The caller has counted it against the limit of 3.
   */
  async issue(trx: Executor, refund: RefundRecord, seq: number, context: CodeContext): Promise<RefundCode> {
    const now = this.clock.now();
    const code = randomDigits(this.settings.digits, this.random);
    const expiresAt = now + this.settings.lifetimeMs;
    await repo.supersede(trx, refund.id, now);
    const row: RefundCode = {
      id: newId('rcd', this.random),
      refund_id: refund.id,
      merchant_id: refund.merchant_id,
      seq,
      digest: this.digest(code, refund, refund.terminal_id),
      sent_to: context.destinations.map(maskDestination),
      expires_at: expiresAt,
      used_at: null,
      superseded_at: null,
      created_at: now,
    };
    await repo.insertCode(trx, row);
    for (const to of context.destinations) {
      await this.outbox.enqueue(trx, {
        merchantId: refund.merchant_id,
        channel: to.channel,
        recipient: to.recipient,
        template: 'refund_code',
        locale: to.locale,
        params: {
          amount: formatYuan(refund.amount),
          amount_fen: refund.amount,
          type: refund.type,
          store: context.storeName,
          terminal: refund.terminal_id,
          operator_id: refund.operator_id,
          sale_ref: refund.sale_id,
          refund_id: refund.id,
          /** The how-many-th code of this refund, so the reader can tell the newest. */
          code_no: seq,
          expires_at: toIso(expiresAt),
        },
        secretParams: { code },
        giveUpAt: expiresAt,
      });
    }
    await this.audit.record(
      trx,
      refundAuditEvent(refund, 'refund.code_issued', 'info', {
        seq,
        sent_to: row.sent_to,
        expires_at: toIso(expiresAt),
      }),
    );
    return row;
  }

  /** Compare a submitted code with the refund's current one, in constant time, bound to the submitting terminal. */
  async check(
    refund: RefundRecord,
    terminalId: string,
    code: string,
    executor: Executor = this.db,
  ): Promise<CodeCheck> {
    const current = await repo.currentCode(executor, refund.id);
    if (!current) return { kind: 'none' };
    if (!this.hmac.matches(current.digest, 'refund-code', ...this.boundParts(code, refund, terminalId)))
      return { kind: 'mismatch' };
    if (current.used_at !== null) return { kind: 'used' };
    if (current.expires_at <= this.clock.now()) return { kind: 'expired' };
    return { kind: 'match', code: current };
  }

  /** Use the code once inside the caller's transaction; false when someone else used it first or it just expired. */
  consume(trx: Executor, code: RefundCode): Promise<boolean> {
    return repo.consume(trx, code.id, this.clock.now());
  }

  /** When the refund's current code stops working, or null when it has none. */
  async currentExpiry(refundId: string): Promise<number | null> {
    return (await repo.currentCode(this.db, refundId))?.expires_at ?? null;
  }

  /** The code part of a Refund's `authorization` block. */
  async details(refund: RefundRecord): Promise<AuthorizationDetails> {
    if (!refund.required.includes('one_time_code'))
      return { code_sent_to: [], code_expires_at: null, attempts_left: null };
    const current = await repo.currentCode(this.db, refund.id);
    return {
      code_sent_to: current ? current.sent_to : [],
      code_expires_at: current ? toIso(current.expires_at) : null,
      attempts_left: await this.attempts.attemptsLeft(refundCodeSubject(refund.id, refund.merchant_id)),
    };
  }

  private digest(code: string, refund: RefundRecord, terminalId: string): string {
    return this.hmac.digest('refund-code', ...this.boundParts(code, refund, terminalId));
  }

  // The binding of docs/security.md "Refund authorization": any change of refund, amount, sale or terminal gives another digest.
  private boundParts(code: string, refund: RefundRecord, terminalId: string): string[] {
    return [code, refund.id, String(refund.amount), refund.sale_id, terminalId];
  }
}
