// GB 32100-2015: the 18th character of a unified social credit code is a check character over the first 17.
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode, normalizeCreditCode } from './credit-code.js';

describe('unified social credit code', () => {
  it('accepts published codes', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91110000600037341L')).toBe(true);
  });

  it('refuses a wrong check character, a wrong length and letters outside the set (I, O, Z, S, V)', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y433')).toBe(false);
    expect(isValidCreditCode('91350100MO00100Y43')).toBe(false);
    expect(isValidCreditCode('9135010OM000100Y43')).toBe(false); // the division code is digits
  });

  it('computes a check character of 0 where 31 - sum mod 31 is 31', () => {
    const first17 = '91350100M000100Y4';
    expect(creditCodeCheckChar(first17)).toBe('3');
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
  });

  it('reads what people type: lower case, spaces and dashes', () => {
    expect(normalizeCreditCode(' 9135 0100-m000 100y43 ')).toBe('91350100M000100Y43');
  });
});
