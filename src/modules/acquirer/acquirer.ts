import type { Executor } from '../../db/schema.js';
import type { AcquirerSandboxOpsTable } from './acquirer.table.js';
import type { Wallet } from './qr.js';

export type { PaymentMethodType } from './payment-method.js';

/** What the acquirer needs to charge; the card number exists only in memory for this call. */
export type Instrument =
  | { type: 'bank_card'; pan: string; expiry: string; entryMode: string }
  | { type: 'qr'; wallet: Wallet; authCode: string }
  | { type: 'order'; orderNo: string };

export interface ChargeRequest {
  /** Our sale id: the acquirer's idempotency reference, so a retry never charges twice. */
  reference: string;
  amount: number;
  currency: string;
  instrument: Instrument;
}

export interface RefundRequest {
  /** Our refund id. */
  reference: string;
  saleReference: string;
  amount: number;
}

export interface AcquirerResult {
  status: 'approved' | 'declined' | 'pending';
  declineCode?: string;
  acquirerRef: string;
}

/** The acquirer did not answer in time: the outcome is unknown until `query` tells. */
export class AcquirerTimeoutError extends Error {
  constructor(reference: string) {
    super(`acquirer timed out for ${reference}`);
    this.name = 'AcquirerTimeoutError';
  }
}

/** A charge the acquirer has decided but not yet journaled: its outcome, and the journal row to write with the sale. */
export interface PlannedCharge {
  result: AcquirerResult;
  journal: AcquirerSandboxOpsTable;
}

/** The bank or wallet network behind the terminal. A real adapter implements this next to the sandbox. */
export interface Acquirer {
  charge(request: ChargeRequest): Promise<AcquirerResult>;
  /** The acquirer's record of an earlier charge or refund, or undefined when it has none. */
  query(reference: string): Promise<AcquirerResult | undefined>;
  refund(request: RefundRequest): Promise<AcquirerResult>;
  /**
   * Only for an acquirer whose journal is a table of our own database (the sandbox): charge inside the caller's
   * transaction, so that the sale and the charge commit together or not at all, and the sale needs no pending step.
   * Throws AcquirerTimeoutError for an unknown outcome like `charge`, having journaled what the acquirer will answer
   * to `query` once the transaction commits.
   */
  chargeWithin?(trx: Executor, request: ChargeRequest): Promise<AcquirerResult>;
  /**
   * Only beside `chargeWithin`: the same decision without the write, for a caller that writes the journal row (with
   * `journalInsert`) in the same statement as the sale. Undefined when the outcome would be unknown (a timeout): such a
   * charge goes through `chargeWithin`.
   */
  planCharge?(request: ChargeRequest): PlannedCharge | undefined;
  /**
   * Only for an acquirer whose journal is a table of our own database (the sandbox): refund inside the caller's
   * transaction, so the refund's journal and its booking commit together (one commit instead of two). Idempotent per
   * reference, like `refund`.
   */
  refundWithin?(trx: Executor, request: RefundRequest): Promise<AcquirerResult>;
}
