/**
 * The refundkey terminal SDK (`import { TerminalClient } from 'refundkey/sdk'`): browser- and Node-safe, fetch only.
 * The Node file store is in 'refundkey/sdk/file-store' so that a browser bundle never imports node:fs.
 */
export {
  type RefundInput,
  TerminalClient,
  type TerminalClientOptions,
  type TodaySales,
} from './client.js';
export { NetworkError, RefundkeyError } from './errors.js';
export { newIdempotencyKey } from './idempotency-key.js';
export { type KeyValueStore, LocalStorageStore, MemoryStore } from './store.js';
export type {
  Announcement,
  ErrorEnvelope,
  OperationKind,
  PaymentMethod,
  PendingOperation,
  Refund,
  Sale,
  Settlement,
} from './types.js';
