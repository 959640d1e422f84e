import { expect } from 'vitest';
import type { Answer, TestApp } from '../support/test-app.js';

/** A strong login password (12..128, not a common one). */
export const NEW_PASSWORD = 'Kumquat-Lattice-Orbit-83';

let seq = 0;
/** A unique phone number per call, so that each person's messages are told apart. */
export function newPhone(): string {
  return `139${String(process.pid % 10_000).padStart(4, '0')}${String(++seq).padStart(4, '0')}`;
}

/** A unique login id. */
export function newLogin(role: string): string {
  return `${role}-${process.pid}-${++seq}@shop.refundkey.test`;
}

/** The secret a message to `to` carried (the invitation token, an operator's password), read through /dev/outbox. */
export async function secretSentTo(t: TestApp, to: string, template: string, name: string): Promise<string> {
  const answer = await t.request('GET', `/dev/outbox?to=${encodeURIComponent(to)}&limit=50`);
  expect(answer.status).toBe(200);
  const message = (answer.body.messages as Array<{ template: string; params: Record<string, unknown> }>).find(
    (m) => m.template === template,
  );
  if (!message) throw new Error(`no ${template} message to ${to}`);
  const value = String(message.params[name]);
  t.secrets.add(template, value);
  return value;
}

/** The session cookie and CSRF token of a sign-in answer, as headers for the next requests. */
export function sessionHeaders(answer: Answer): Record<string, string> {
  const raw = answer.headers['set-cookie'];
  const lines = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  const token = lines.map((l) => /^rk_session=([^;]*)/.exec(l)?.[1]).find(Boolean);
  if (!token) throw new Error(`no session cookie: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { cookie: `rk_session=${token}`, 'x-csrf-token': String(answer.body.csrf_token) };
}
