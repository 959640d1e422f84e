import { randomBytes, randomInt } from 'node:crypto';

/** Randomness comes from here (a CSPRNG by default), so tests can control it. */
export interface RandomSource {
  bytes(n: number): Buffer;
  /** A uniform integer in [0, max). */
  int(max: number): number;
}

export const cryptoRandom: RandomSource = {
  bytes: (n) => randomBytes(n),
  int: (max) => randomInt(max),
};

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** An opaque id with a type prefix, e.g. `sal_3kJ9...` (docs/api.md "Conventions"). */
export function newId(prefix: string, random: RandomSource = cryptoRandom): string {
  let out = `${prefix}_`;
  for (const b of random.bytes(20)) out += ALPHABET[b % 62];
  return out;
}

/** A string of random decimal digits, e.g. a one-time code. */
export function randomDigits(length: number, random: RandomSource = cryptoRandom): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(random.int(10));
  return out;
}

/** A bearer secret, base64url, with a readable prefix. */
export function newSecret(prefix: string, random: RandomSource = cryptoRandom): string {
  return `${prefix}_${random.bytes(32).toString('base64url')}`;
}
