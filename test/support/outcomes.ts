import { expect } from 'vitest';
import type { Answer } from './test-app.js';

/** An answer as `status` for a success or a redirect, `status CODE` for a refusal: what a concurrency test asserts, exactly. */
export function outcome(answer: Pick<Answer, 'status' | 'body'>): string {
  if (answer.status < 400) return String(answer.status);
  const code = (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return `${answer.status} ${typeof code === 'string' ? code : '(no error code)'}`;
}

/**
 * How many answers had each outcome, e.g. `{ '201': 1, '422 REFUND_EXCEEDS_REFUNDABLE': 49 }`. Compared with
 * toEqual, a 5xx, another status or another code among concurrent answers shows up as a key of its own and fails.
 */
export function tally(answers: ReadonlyArray<Pick<Answer, 'status' | 'body'>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const key = outcome(answer);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The answer another answer must equal, request id aside (every error carries its own): for "answers exactly like an
 * unknown id / a wrong password" checks, where anything else that differs would tell the caller something.
 */
export function sameAnswerAs(other: { error?: Record<string, unknown> } | undefined): unknown {
  return { ...other, error: { ...other?.error, request_id: expect.stringMatching(/^req_/) } };
}

/**
 * The answers whose outcome is not one of `allowed`, as `index: outcome`: `[]` when every answer is one of them. For a
 * burst whose refusals may take several documented forms (e.g. lost the race, or refused before checking), so that a
 * 5xx or any other status or code still fails.
 */
export function unexpected(
  answers: ReadonlyArray<Pick<Answer, 'status' | 'body'>>,
  allowed: readonly string[],
): string[] {
  return answers
    .map((answer, i) => `${i}: ${outcome(answer)}`)
    .filter((line) => !allowed.includes(line.replace(/^\d+: /, '')));
}
