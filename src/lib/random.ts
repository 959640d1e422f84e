import { randomBytes, randomInt } from 'node:crypto';

/** Randomness comes from here (a CSPRNG by default), so tests can control it. */
export interface RandomSource {
  bytes(n: number): Buffer;
  /** A uniform integer in [0, max). */
  int(max: number): number;
}

/** Bytes drawn from the CSPRNG per refill; a request's ids take about 60 of them. */
const POOL_SIZE = 4096;

/**
 * The CSPRNG's bytes, fetched 4 KiB at a time instead of one system call per id (a card sale makes three or four ids;
 * the calls were 3.5 % of its CPU time). Each byte is handed out once and wiped from the pool as it leaves; requests
 * larger than a quarter of the pool go to the CSPRNG directly.
 */
class PooledRandom implements RandomSource {
  private pool = Buffer.alloc(0);
  private at = 0;

  bytes(n: number): Buffer {
    if (n > POOL_SIZE / 4) return randomBytes(n);
    if (this.at + n > this.pool.length) {
      this.pool = randomBytes(POOL_SIZE);
      this.at = 0;
    }
    const out = Buffer.from(this.pool.subarray(this.at, this.at + n));
    this.pool.fill(0, this.at, this.at + n);
    this.at += n;
    return out;
  }

  int(max: number): number {
    return randomInt(max);
  }
}

export const cryptoRandom: RandomSource = new PooledRandom();

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
