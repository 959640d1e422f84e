// The offline check against automated submissions: a signed challenge, a minimum fill time, a maximum age, a
// proof of work and a honeypot. Each reason to refuse is shown here on its own.
import { describe, expect, it } from 'vitest';
import { Hmac } from '../../lib/hashing.js';
import { cryptoRandom } from '../../lib/random.js';
import { BOT_CHECK, checkSubmission, issueChallenge, leadingZeroBits, solveChallenge } from './bot-check.js';

const hmac = new Hmac(Buffer.alloc(32, 7));
const rules = { ...BOT_CHECK, bits: 10 };
const T0 = Date.parse('2026-12-05T08:00:00Z');

function solved(at = T0) {
  const { challenge, bits } = issueChallenge(hmac, cryptoRandom, at, rules);
  return { challenge, solution: solveChallenge(challenge, bits), honeypot: '' };
}

describe('bot check', () => {
  it('passes a solved challenge after the minimum fill time', () => {
    const input = solved();
    expect(leadingZeroBits(input.challenge, input.solution)).toBeGreaterThanOrEqual(10);
    expect(checkSubmission(hmac, input, T0 + 6_000, rules)).toBeNull();
  });

  it('refuses a filled honeypot, a fast fill, an old challenge, a wrong solution and a forged signature', () => {
    const input = solved();
    expect(checkSubmission(hmac, { ...input, honeypot: 'http://spam' }, T0 + 6_000, rules)).toBe('honeypot');
    expect(checkSubmission(hmac, input, T0 + 4_999, rules)).toBe('too_fast');
    expect(checkSubmission(hmac, input, T0 + 61 * 60_000, rules)).toBe('expired');
    const wrong = [...Array(50).keys()].map(String).find((s) => leadingZeroBits(input.challenge, s) < 10) ?? 'x';
    expect(checkSubmission(hmac, { ...input, solution: wrong }, T0 + 6_000, rules)).toBe('work');
    const other = new Hmac(Buffer.alloc(32, 8));
    expect(checkSubmission(other, input, T0 + 6_000, rules)).toBe('signature');
    // An earlier issue time written into a challenge breaks its signature.
    const parts = input.challenge.split('.');
    parts[2] = String(T0 - 60_000);
    expect(checkSubmission(hmac, { ...input, challenge: parts.join('.') }, T0 + 6_000, rules)).toBe('signature');
  });

  it('refuses a challenge asking for fewer bits than the rules', () => {
    const easy = issueChallenge(hmac, cryptoRandom, T0, { ...rules, bits: 1 });
    const input = { challenge: easy.challenge, solution: solveChallenge(easy.challenge, 1), honeypot: '' };
    expect(checkSubmission(hmac, input, T0 + 6_000, rules)).toMatch(/malformed|work/);
  });
});
