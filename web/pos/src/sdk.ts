import type { PaymentMethodInput, Refund, Sale, Settlement } from './types.js';

/**
 * The terminal SDK (src/sdk/index.ts, issue 14 point 1) as this app uses it: every API call of the app goes through
 * it, so idempotency keys, their store and the retry after a lost answer are the SDK's, never the app's.
 *
 * It is loaded with import.meta.glob so the app builds and typechecks while the SDK is still being written; once it
 * is in the tree this becomes a plain `import { TerminalClient, ... } from '../../../src/sdk/index.js'` and the
 * interfaces below give way to the SDK's own types.
 */
export interface TerminalApi {
  activate(code: string): Promise<{ terminal_id: string; terminal_key: string }>;
  signIn(operatorNo: string, password: string): Promise<{ operator_session: string }>;
  signOut(): Promise<unknown>;
  sale(input: { amount: number; payment_method: PaymentMethodInput }): Promise<Sale>;
  refund(input: {
    sale_id: string;
    amount: number;
    reason: string;
    type?: 'refund' | 'void';
    refund_to?: 'original' | 'cash';
  }): Promise<Refund>;
  authorize(refundId: string, factors: { refund_key?: string; code?: string }): Promise<Refund>;
  resendCode(refundId: string): Promise<Refund>;
  cancel(refundId: string): Promise<Refund>;
  getRefund(refundId: string): Promise<Refund>;
  getSale(saleId: string): Promise<Sale>;
  todaySales(): Promise<{ data: Sale[]; has_more: boolean }>;
  settle(body?: { allow_empty?: boolean }): Promise<Settlement>;
  /** Operations sent without an answer, kept with their idempotency keys. */
  pending(): Promise<unknown[]>;
  /** Send the pending operations again with the same keys; answers what each got. */
  resume(): Promise<unknown>;
}

export interface TerminalClientOptions {
  baseUrl: string;
  terminalKey?: string;
  operatorSession?: string;
  store?: unknown;
  language?: string;
}

/** The SDK's refusal: the envelope's code and the fields that help (docs/api.md "Errors"). */
export interface RefundkeyErrorLike extends Error {
  status: number;
  code: string;
  attemptsLeft?: number;
  retryAfterS?: number;
}

interface SdkModule {
  TerminalClient: new (options: TerminalClientOptions) => TerminalApi;
  LocalStorageStore: new () => unknown;
  NetworkError: abstract new (...args: never[]) => Error;
  RefundkeyError: abstract new (...args: never[]) => RefundkeyErrorLike;
}

const found = import.meta.glob<SdkModule>('../../../src/sdk/index.ts');
let sdk: SdkModule | undefined;

/** Load the SDK once, before the app renders (main.tsx awaits it). */
export async function loadSdk(): Promise<void> {
  const load = Object.values(found)[0];
  sdk = load ? await load() : undefined;
}

/** A client of the terminal API with the device's credentials and the SDK's localStorage store. */
export function createTerminalClient(options: Omit<TerminalClientOptions, 'store'>): TerminalApi {
  if (sdk) return new sdk.TerminalClient({ ...options, store: new sdk.LocalStorageStore() });
  // A build without the SDK still shows its screens; every call says why it cannot be made.
  const missing = () => Promise.reject(new Error('the terminal SDK (src/sdk/index.ts) is not in this build'));
  return new Proxy({} as TerminalApi, {
    get: (_target, name) => (name === 'pending' ? () => Promise.resolve([]) : missing),
  });
}

/** The answer never came (offline, connection lost): the SDK keeps the operation for resume(). */
export function isNetworkError(error: unknown): boolean {
  return sdk !== undefined && error instanceof sdk.NetworkError;
}

/** The server refused, with a code: the refusal, or undefined for anything else. */
export function refusal(error: unknown): RefundkeyErrorLike | undefined {
  return sdk !== undefined && error instanceof sdk.RefundkeyError ? error : undefined;
}
