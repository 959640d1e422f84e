import type { ErrorEnvelope, PendingOperation } from './types.js';

/**
 * The server refused or failed the request and said why: `code` is stable for programs (docs/api.md "Errors"), the
 * message is for people in the client's language. A refused request changed nothing on the server.
 */
export class RefundkeyError extends Error {
  override readonly name = 'RefundkeyError';
  readonly status: number;
  readonly code: string;
  /** Wrong entries left before the refund or operator locks (a wrong refund key or code). */
  readonly attemptsLeft?: number;
  /** Seconds to wait before trying again (423 locked, 429 rate limited, 503). */
  readonly retryAfterS?: number;
  /** The id the server log also has, to quote to support. */
  readonly requestId?: string;
  /** The input at fault. */
  readonly param?: string;
  /** The whole `error` object, for the fields this class does not name. */
  readonly details: ErrorEnvelope['error'];

  constructor(status: number, envelope: ErrorEnvelope['error']) {
    super(envelope.message || envelope.code);
    this.status = status;
    this.code = envelope.code;
    this.details = envelope;
    if (typeof envelope.attempts_left === 'number') this.attemptsLeft = envelope.attempts_left;
    if (typeof envelope.retry_after_s === 'number') this.retryAfterS = envelope.retry_after_s;
    if (typeof envelope.request_id === 'string') this.requestId = envelope.request_id;
    if (typeof envelope.param === 'string') this.param = envelope.param;
  }
}

/**
 * No answer arrived (connection refused or lost, timeout). For a sale, refund or settlement the server may or may not
 * have acted: the operation stays pending in the store, and resume() asks again with the same idempotency key.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly operation?: PendingOperation;

  constructor(message: string, operation?: PendingOperation, options?: { cause?: unknown }) {
    super(message, options);
    if (operation) this.operation = operation;
  }
}
