// docs/security.md "Passwords and refund keys": login passwords 12..128 with the zxcvbn-ts common-password check and the
// reason shown; PINs 6..12 digits, no runs, no repeats, not a weak PIN. Pure functions: no database involved.
import { describe, expect, it } from 'vitest';
import { checkLoginPassword, checkPinStrength } from './secret-strength.js';

describe('secret strength rules', () => {
  it('refuses login passwords shorter than 12 or longer than 128 characters', () => {
    expect(checkLoginPassword('Xq7#kP2-vL9').reasons.map((r) => r.code)).toContain('TOO_SHORT');
    expect(checkLoginPassword(`Xq7#kP2-vL9${'z'.repeat(118)}`).reasons.map((r) => r.code)).toContain('TOO_LONG');
    expect(checkLoginPassword('Lantern-Quokka-Mosaic-47')).toMatchObject({ acceptable: true, reasons: [] });
  });

  it('refuses common passwords of any length with a reason in each language', () => {
    const report = checkLoginPassword('password1234');
    expect(report.acceptable).toBe(false);
    // One text per language, never "中文 / English" in one string (issue 10, 15).
    expect(report.reasons[0]?.message.zh).toMatch(/^[^/]*[\u4e00-\u9fff][^/]*$/);
    expect(report.reasons[0]?.message.en).toMatch(/^[^\u4e00-\u9fff]*[A-Za-z][^\u4e00-\u9fff]*$/);
  });

  it('treats the user’s own login and name as guessable', () => {
    expect(checkLoginPassword('Zhangwei2026!').acceptable).toBe(true);
    expect(checkLoginPassword('Zhangwei2026!', ['zhangwei', 'shop']).reasons[0]?.code).toBe('USER_INPUTS');
  });

  it('accepts a random PIN and refuses runs, repeats and dates', () => {
    expect(checkPinStrength('482915').acceptable).toBe(true);
    expect(checkPinStrength('345678').reasons[0]?.code).toBe('PIN_SEQUENCE');
    expect(checkPinStrength('890123').reasons[0]?.code).toBe('PIN_SEQUENCE');
    expect(checkPinStrength('123123').reasons[0]?.code).toBe('PIN_REPEAT');
    expect(checkPinStrength('20260101').reasons[0]?.code).toBe('PIN_COMMON');
  });
});
