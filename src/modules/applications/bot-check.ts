import { createHash } from 'node:crypto';
import { MINUTE } from '../../lib/clock.js';
import type { Hmac } from '../../lib/hashing.js';
import type { RandomSource } from '../../lib/random.js';

/**
 * A check against automated submissions that needs no outside service (works offline, in China, without a CAPTCHA
 * vendor): the page asks for a challenge, signed by the server with the time it was issued, and finds a `solution`
 * such that SHA-256(`${challenge}:${solution}`) starts with `bits` zero bits (about 2^bits hashes: well under a
 * second for a person's browser, a real cost for a bot sending thousands). The signature and issue time also enforce
 * a minimum fill time and a maximum age; an application stores the challenge's HMAC in a unique column, so a solved
 * challenge serves one application only. A hidden honeypot field that people leave empty completes it.
 */
export interface BotCheckRules {
  bits: number;
  /** A person needs at least this long to fill in the form. */
  minFillMs: number;
  /** A challenge older than this is refused (the page asks for a new one). */
  maxAgeMs: number;
}

export const BOT_CHECK: BotCheckRules = { bits: 16, minFillMs: 5_000, maxAgeMs: 60 * MINUTE };

export interface Challenge {
  challenge: string;
  bits: number;
  min_fill_s: number;
}

/** A fresh signed challenge: `v1.<nonce>.<issued ms>.<bits>.<hmac>`. */
export function issueChallenge(hmac: Hmac, random: RandomSource, now: number, rules = BOT_CHECK): Challenge {
  const body = `v1.${random.bytes(16).toString('base64url')}.${now}.${rules.bits}`;
  return {
    challenge: `${body}.${hmac.digest('application-challenge', body)}`,
    bits: rules.bits,
    min_fill_s: rules.minFillMs / 1000,
  };
}

/** Why a submission failed the check, or null when it passed (the caller answers the same for every reason). */
export function checkSubmission(
  hmac: Hmac,
  input: { challenge: string; solution: string; honeypot: string },
  now: number,
  rules = BOT_CHECK,
): string | null {
  if (input.honeypot.trim() !== '') return 'honeypot';
  const parts = input.challenge.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') return 'malformed';
  const [, , issued, bits, mac] = parts as [string, string, string, string, string];
  const body = parts.slice(0, 4).join('.');
  if (!/^[0-9a-f]{64}$/.test(mac) || !hmac.matches(mac, 'application-challenge', body)) return 'signature';
  const issuedAt = Number(issued);
  if (!Number.isSafeInteger(issuedAt) || Number(bits) < rules.bits) return 'malformed';
  if (now - issuedAt < rules.minFillMs) return 'too_fast';
  if (now - issuedAt > rules.maxAgeMs) return 'expired';
  return leadingZeroBits(input.challenge, input.solution) >= rules.bits ? null : 'work';
}

/** The number of leading zero bits of SHA-256(`${challenge}:${solution}`). */
export function leadingZeroBits(challenge: string, solution: string): number {
  const digest = createHash('sha256').update(`${challenge}:${solution}`).digest();
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** Find a solution (what the page does in the browser); for tests and scripted clients of good will. */
export function solveChallenge(challenge: string, bits: number): string {
  for (let n = 0; ; n++) if (leadingZeroBits(challenge, String(n)) >= bits) return String(n);
}
