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

/** Characters after an id's prefix. */
const ID_CHARS = 20;

function randomChars(count: number, random: RandomSource): string {
  let out = '';
  for (const b of random.bytes(count)) out += ALPHABET[b % 62];
  return out;
}

/** An opaque id with a type prefix, e.g. `sal_3kJ9...` (docs/api.md "Conventions"). */
export function newId(prefix: string, random: RandomSource = cryptoRandom): string {
  return `${prefix}_${randomChars(ID_CHARS, random)}`;
}

/** Base 62 in byte order (digits, capitals, small letters): encoded times sort as text as they do as numbers. */
const SORTED_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62⁸ ms: the time part of an ordered id lasts until the year 8888. */
const TIME_CHARS = 8;

/**
 * An id like `newId`'s, whose first 8 characters are `now` (the caller's clock, in milliseconds), so that ids made
 * later sort later (within a millisecond, by chance), followed by 12 random characters (71 bits). For the rows written
 * on the money path (sales, refunds, the acquirer journal keyed by them): each new key then goes to the last page of
 * its primary key's index, which the other rows of the same commit share, instead of a random page of its own; a
 * random key dirtied one more page per row for SQLite to write to its WAL and copy back (docs/performance.md, session
 * 10).
 */
export function newOrderedId(prefix: string, now: number, random: RandomSource = cryptoRandom): string {
  let time = '';
  for (let rest = Math.floor(now), i = 0; i < TIME_CHARS; i++, rest = Math.floor(rest / 62)) {
    time = SORTED_ALPHABET[rest % 62] + time;
  }
  return `${prefix}_${time}${randomChars(ID_CHARS - TIME_CHARS, random)}`;
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
