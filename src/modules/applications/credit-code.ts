/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a 31-character set (digits and
 * capital letters without I, O, Z, S, V); the 18th is a check character computed from the first 17 with the weights
 * 3^(i) mod 31. The registration authority (1st) is 1-9, A-G or Y.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters, or undefined when one is outside the set. */
export function creditCodeCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CHARSET.indexOf(first17[i] ?? '?');
    if (value < 0) return undefined;
    sum += value * (WEIGHTS[i] ?? 0);
  }
  return CHARSET[(31 - (sum % 31)) % 31];
}

/** True for an 18-character code in the GB 32100-2015 shape whose check character is right. */
export function isValidCreditCode(code: string): boolean {
  if (!SHAPE.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** Upper case, without spaces or dashes people type between groups. */
export function normalizeCreditCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}
