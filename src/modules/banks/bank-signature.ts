import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A signed bank request is accepted only within 5 minutes either side of the server's clock. */
export const BANK_TIMESTAMP_WINDOW_S = 5 * 60;

/** The request headers a bank signs with (docs/api.md "Partner banks"). */
export const BANK_HEADERS = {
  key: 'refundkey-bank-key',
  timestamp: 'refundkey-timestamp',
  nonce: 'refundkey-nonce',
  signature: 'refundkey-signature',
} as const;

export interface SignedParts {
  method: string;
  /** The path with its query string, exactly as sent. */
  path: string;
  /** Unix seconds. */
  timestamp: string;
  nonce: string;
  body: string;
}

/** What is signed: method, path, timestamp, nonce and the SHA-256 of the raw body, one per line. */
export function canonicalRequest(parts: SignedParts): string {
  const bodyHash = createHash('sha256').update(parts.body, 'utf8').digest('hex');
  return [parts.method.toUpperCase(), parts.path, parts.timestamp, parts.nonce, bodyHash].join('\n');
}

/** The `Refundkey-Signature` value: `v1=` and the hex HMAC-SHA256 of the canonical request under the bank's secret. */
export function signBankRequest(secret: string, parts: SignedParts): string {
  return `v1=${createHmac('sha256', secret).update(canonicalRequest(parts)).digest('hex')}`;
}

/** Constant-time check of a signature header against the expected one. */
export function signatureMatches(secret: string, parts: SignedParts, header: string): boolean {
  const expected = Buffer.from(signBankRequest(secret, parts));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** True when the timestamp is whole unix seconds within the window around `nowMs`. */
export function timestampInWindow(timestamp: string, nowMs: number): boolean {
  if (!/^[0-9]{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) - Math.floor(nowMs / 1000)) <= BANK_TIMESTAMP_WINDOW_S;
}
