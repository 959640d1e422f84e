import { describe, expect, it } from 'vitest';
import { cryptoRandom, newId } from './random.js';

describe('cryptoRandom', () => {
  it('hands each pooled byte out once: no two draws repeat, across several refills of the pool', () => {
    const draws = Array.from({ length: 2_000 }, (_, i) => cryptoRandom.bytes(1 + (i % 32)).toString('hex'));
    expect(draws.map((hex) => hex.length / 2)).toEqual(draws.map((_, i) => 1 + (i % 32)));
    const long = draws.filter((hex) => hex.length >= 16);
    expect(new Set(long).size).toBe(long.length);
  });

  it('a draw is a copy: changing it changes no later draw', () => {
    const first = cryptoRandom.bytes(64);
    first.fill(0);
    const next = cryptoRandom.bytes(64);
    expect(next.equals(Buffer.alloc(64))).toBe(false);
  });

  it('a draw larger than a quarter of the pool comes from the CSPRNG directly, at its full length', () => {
    const big = cryptoRandom.bytes(5_000);
    expect(big.length).toBe(5_000);
    expect(big.equals(Buffer.alloc(5_000))).toBe(false);
  });

  it('ids stay unique', () => {
    const ids = Array.from({ length: 10_000 }, () => newId('sal'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^sal_[0-9a-zA-Z]{20}$/.test(id))).toBe(true);
  });
});
