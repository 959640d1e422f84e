import { describe, expect, it } from 'vitest';
import { together } from './together.js';

const settleAfter = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

describe('together', () => {
  it('answers every value in argument order, whichever settles first', async () => {
    expect(await together(settleAfter(40, 'a'), settleAfter(10, 2), 'plain')).toEqual(['a', 2, 'plain']);
  });

  it('throws the first failure in argument order, not the first in time, and waits for the others', async () => {
    let lateDone = false;
    const late = settleAfter(30, 'late').then((v) => {
      lateDone = true;
      return v;
    });
    await expect(together(settleAfter(20, 'first', true), settleAfter(1, 'second', true), late)).rejects.toThrow(
      'first',
    );
    expect(lateDone).toBe(true);
  });
});
