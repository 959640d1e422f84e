import type { paths } from './api-types.js';

/** JSON body of a route's answer, read from the server's own OpenAPI description (api-types.ts is generated). */
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** A sale as the terminal API answers it (card numbers masked). */
export type Sale = Json<paths['/v1/sales']['post']['responses'][201]>;
/** A refund or void, with what its authorization still needs. */
export type Refund = Json<paths['/v1/refunds/{id}']['get']['responses'][200]>;
/** The report of a closed batch (结算). */
export type Settlement = Json<paths['/v1/settlements']['post']['responses'][201]>;
/** An announcement (公告) of the platform: title, body, severity, when it is in force. */
export type Announcement = Json<paths['/v1/announcements']['get']['responses'][200]>['data'][number];
/** What POST /v1/sales takes as `payment_method`: bank card, QR wallet, order number, or cash. */
export type PaymentMethod = Json<paths['/v1/sales']['post']['requestBody']>['payment_method'];
/** The error envelope of every refusal (docs/api.md "Errors"). */
export type ErrorEnvelope = { error: { code: string; message: string; request_id?: string; [extra: string]: unknown } };

/** The kinds of operation that move money or close a batch, and so carry an Idempotency-Key. */
export type OperationKind = 'sale' | 'refund' | 'settlement';

/**
 * An operation sent but not answered (timeout, network down, 5xx). It is written to the store before it is sent, and
 * re-sent by resume() with the same idempotency key, so the server answers with the first result instead of acting
 * twice.
 */
export interface PendingOperation {
  idempotency_key: string;
  kind: OperationKind;
  path: string;
  body: unknown;
  /** ISO 8601 time the operation was first sent. */
  created_at: string;
  /** How many times it was sent, including the first. */
  attempts: number;
  /** Why it is pending: the last network error or 5xx code. */
  last_error?: string;
}
