import { Secret, TOTP } from 'otpauth';
import type { RandomSource } from '../../lib/random.js';

// RFC 6238 as API.md fixes it: SHA-1, 6 digits, 30-second steps; one step either side is accepted (clock drift).
export const TOTP_PERIOD_MS = 30_000;
const TOTP_WINDOW = 1;

function totpOf(secretBase32: string, label = 'refundkey'): TOTP {
  return new TOTP({
    issuer: 'refundkey',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_MS / 1000,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new 160-bit TOTP seed in base32 (RFC 4226 recommends 160 bits). */
export function newTotpSecret(random: RandomSource): string {
  const bytes = random.bytes(20);
  return new Secret({ buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) }).base32;
}

/** The otpauth:// URL an authenticator app scans. */
export function otpauthUrl(secretBase32: string, label: string): string {
  return totpOf(secretBase32, label).toString();
}

/** The time step a code belongs to within ±1 step of `now`, or null when it matches none. */
export function matchingStep(secretBase32: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: TOTP_WINDOW });
  return delta === null ? null : Math.floor(now / TOTP_PERIOD_MS) + delta;
}
