import { describe, expect, it } from 'vitest';
import { cryptoRandom, newId, newOrderedId } from './random.js';

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

  it('ordered ids have the same form, stay unique, and sort as text in the order of their times', () => {
    const ids = Array.from({ length: 10_000 }, () => newOrderedId('sal', Date.now()));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^sal_[0-9a-zA-Z]{20}$/.test(id))).toBe(true);
    const times = [0, 1, 61, 62, 3_843, 1_700_000_000_000, 1_796_572_513_180, 1_796_572_513_181, 62 ** 8 - 1];
    const made = times.map((now) => newOrderedId('ref', now));
    expect([...made].sort()).toEqual(made);
    // SQLite compares text byte by byte (BINARY), as a plain string comparison does.
    expect(
      made.every((id, i) => i === 0 || Buffer.compare(Buffer.from(made[i - 1] as string), Buffer.from(id)) < 0),
    ).toBe(true);
    expect(newOrderedId('sal', 0).slice(4, 12)).toBe('00000000');
  });
});
