import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import {
  type Acquirer,
  type AcquirerResult,
  AcquirerTimeoutError,
  type ChargeRequest,
  type Instrument,
  type PlannedCharge,
  type RefundRequest,
} from './acquirer.js';
import type { AcquirerSandboxOpsTable } from './acquirer.table.js';

/**
 * Documented test instruments (README "Test cards and codes"). Everything else that passes validation is approved.
 * The sandbox keeps its own journal table, like a real acquirer's ledger: idempotent per reference, shared by instances.
 */
export const SANDBOX_CARDS: Record<string, { outcome: 'declined' | 'timeout'; code?: string }> = {
  '4000000000009995': { outcome: 'declined', code: 'insufficient_funds' },
  '6222020000000098': { outcome: 'declined', code: 'insufficient_funds' },
  '4000000000000002': { outcome: 'declined', code: 'do_not_honor' },
  '4000000000000069': { outcome: 'declined', code: 'expired_card' },
  '6222020000000080': { outcome: 'timeout' },
};

/** QR payment codes: the last four digits choose the outcome. */
const QR_SUFFIX: Record<string, { status: 'declined' | 'user_paying'; code?: string }> = {
  '0051': { status: 'declined', code: 'insufficient_funds' },
  '0005': { status: 'declined', code: 'do_not_honor' },
  '9999': { status: 'user_paying' },
};

/** A "user still paying" (用户支付中) QR sale is confirmed this long after the charge. */
export const USER_PAYING_MS = 10_000;

type Planned = { status: 'approved' | 'declined' | 'user_paying'; code?: string; timeout?: boolean };

/** The insert that journals one operation: a statement of its own, or a part of the sale's one statement. */
export function journalInsert(db: Executor, row: AcquirerSandboxOpsTable) {
  return db.insertInto('acquirer_sandbox_ops').values(row);
}

/** The columns of a journal row, in the order its insert names them. */
export const JOURNAL_COLUMNS = [
  'reference',
  'kind',
  'amount',
  'status',
  'decline_code',
  'settles_at',
  'created_at',
] as const satisfies ReadonlyArray<keyof AcquirerSandboxOpsTable>;

// Journaled by every card sale: built once (precompiled), not per request.
const insertOp = precompiled<AcquirerSandboxOpsTable, unknown>(JOURNAL_COLUMNS, journalInsert);

export class SandboxAcquirer implements Acquirer {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  async charge(request: ChargeRequest): Promise<AcquirerResult> {
    try {
      return await this.chargeWithin(this.db, request);
    } catch (error) {
      // The same reference again: answer with the first outcome, never a second charge.
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.query(request.reference);
      if (existing) return existing;
      throw error;
    }
  }

  /** The sandbox's journal is in our database, so a sale may charge inside its own transaction (one commit). */
  async chargeWithin(trx: Executor, request: ChargeRequest): Promise<AcquirerResult> {
    const plan = plan_(request.instrument);
    await insertOp(trx, this.journalRow(request, plan));
    if (plan.timeout) throw new AcquirerTimeoutError(request.reference);
    return result(request.reference, plan.status, plan.code);
  }

  /** The charge decided but not journaled: the caller writes `journal` with the sale. Undefined for a timeout. */
  planCharge(request: ChargeRequest): PlannedCharge | undefined {
    const plan = plan_(request.instrument);
    if (plan.timeout) return undefined;
    return { result: result(request.reference, plan.status, plan.code), journal: this.journalRow(request, plan) };
  }

  private journalRow(request: ChargeRequest, plan: Planned): AcquirerSandboxOpsTable {
    const now = this.clock.now();
    return {
      reference: request.reference,
      kind: 'charge',
      amount: request.amount,
      status: plan.status,
      decline_code: plan.code ?? null,
      settles_at: plan.status === 'user_paying' ? now + USER_PAYING_MS : now,
      created_at: now,
    };
  }

  async query(reference: string): Promise<AcquirerResult | undefined> {
    const row = await this.db
      .selectFrom('acquirer_sandbox_ops')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.status === 'user_paying' && row.settles_at <= this.clock.now()) {
      await this.db
        .updateTable('acquirer_sandbox_ops')
        .set({ status: 'approved' })
        .where('reference', '=', reference)
        .execute();
      return result(reference, 'approved');
    }
    return result(reference, row.status, row.decline_code ?? undefined);
  }

  async refund(request: RefundRequest): Promise<AcquirerResult> {
    return this.refundWithin(this.db, request);
  }

  /** A refund journaled in the caller's transaction; the same reference again journals nothing more. */
  async refundWithin(trx: Executor, request: RefundRequest): Promise<AcquirerResult> {
    const now = this.clock.now();
    await trx
      .insertInto('acquirer_sandbox_ops')
      .values({
        reference: request.reference,
        kind: 'refund',
        amount: request.amount,
        status: 'approved',
        decline_code: null,
        settles_at: now,
        created_at: now,
      })
      .onConflict((oc) => oc.column('reference').doNothing())
      .execute();
    return result(request.reference, 'approved');
  }
}

function plan_(instrument: Instrument): Planned {
  switch (instrument.type) {
    case 'bank_card': {
      const special = SANDBOX_CARDS[instrument.pan];
      if (!special) return { status: 'approved' };
      return special.outcome === 'timeout'
        ? { status: 'approved', timeout: true }
        : { status: 'declined', code: special.code };
    }
    case 'qr': {
      const special = QR_SUFFIX[instrument.authCode.slice(-4)];
      return special ? { status: special.status, code: special.code } : { status: 'approved' };
    }
    case 'order':
      return instrument.orderNo.startsWith('DECLINE')
        ? { status: 'declined', code: 'order_not_payable' }
        : { status: 'approved' };
  }
}

function result(reference: string, status: string, code?: string): AcquirerResult {
  const mapped = status === 'user_paying' ? 'pending' : (status as AcquirerResult['status']);
  return { status: mapped, acquirerRef: `sbx_${reference}`, ...(code ? { declineCode: code } : {}) };
}
