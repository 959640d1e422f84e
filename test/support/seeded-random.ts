import type { RandomSource } from '../../src/lib/random.js';

/**
 * A deterministic RandomSource (mulberry32) for a test that must know its draws will differ, e.g. that a resent code is
 * not the old one: with a fixed seed the outcome is fixed, so the test asserts it instead of skipping on a collision.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
    int: (max) => Math.floor(next() * max),
  };
}
