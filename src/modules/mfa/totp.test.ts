// RFC 6238 Appendix B (SHA-1 seed "12345678901234567890"), truncated to the 6 digits API.md fixes, and the ±1 step
// window of docs/security.md "Second factors".
import { describe, expect, it } from 'vitest';
import { matchingStep, newTotpSecret, otpauthUrl } from './totp.js';

const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of ASCII 12345678901234567890
const VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1_111_111_109, '081804'],
  [1_111_111_111, '050471'],
  [1_234_567_890, '005924'],
  [2_000_000_000, '279037'],
];

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
  it('matches the RFC test vectors at their own step', () => {
    for (const [seconds, code] of VECTORS) {
      expect(matchingStep(SEED, code, seconds * 1000)).toBe(Math.floor(seconds / 30));
    }
  });

  it('accepts one step either side and refuses two', () => {
    const at = 1_234_567_890 * 1000;
    const step = Math.floor(at / 30_000);
    expect(matchingStep(SEED, '005924', at - 30_000)).toBe(step);
    expect(matchingStep(SEED, '005924', at + 30_000)).toBe(step);
    expect(matchingStep(SEED, '005924', at - 60_000)).toBeNull();
    expect(matchingStep(SEED, '005924', at + 60_000)).toBeNull();
  });

  it('refuses anything but 6 digits', () => {
    expect(matchingStep(SEED, '94287082', 59_000)).toBeNull();
    expect(matchingStep(SEED, '28708', 59_000)).toBeNull();
    expect(matchingStep(SEED, 'abcdef', 59_000)).toBeNull();
  });

  it('makes 160-bit seeds and an otpauth URL with SHA1, 6 digits, 30 s', () => {
    const seed = newTotpSecret({ bytes: () => Buffer.alloc(20, 7), int: () => 0 });
    expect(seed).toHaveLength(32);
    const url = otpauthUrl(seed, 'owner@example.com');
    expect(url).toContain('algorithm=SHA1');
    expect(url).toContain('digits=6');
    expect(url).toContain('period=30');
  });
});
