import {
  LocalStorageStore,
  NetworkError,
  RefundkeyError,
  TerminalClient,
  type TerminalClientOptions,
} from '../../../src/sdk/index.js';

/**
 * Every API call of the app goes through the terminal SDK (src/sdk, issue 14 point 1): idempotency keys, the store of
 * pending operations and the retry after a lost answer are the SDK's, never the app's.
 */
export type TerminalApi = TerminalClient;

/** Where the SDK keeps the pending operations (and its own copy of key and session) on this device. */
const SDK_PREFIX = 'refundkey.pos.sdk.';

/**
 * A client of the terminal API with the device's credentials: the key and the pending operations in localStorage (they
 * outlive the app), the operator's session in sessionStorage (closing the app ends the shift, terminal.tsx).
 */
export function createTerminalClient(options: Omit<TerminalClientOptions, 'store' | 'sessionStore'>): TerminalClient {
  return new TerminalClient({
    ...options,
    store: new LocalStorageStore(SDK_PREFIX),
    sessionStore: new LocalStorageStore(SDK_PREFIX, window.sessionStorage),
  });
}

/** The answer never came (offline, connection lost): the SDK keeps the operation for resume(). */
export function isNetworkError(error: unknown): error is NetworkError {
  return error instanceof NetworkError;
}

/** The server refused, with a code: the refusal, or undefined for anything else. */
export function refusal(error: unknown): RefundkeyError | undefined {
  return error instanceof RefundkeyError ? error : undefined;
}
