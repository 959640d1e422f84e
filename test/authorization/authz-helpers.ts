import { expect } from 'vitest';
import { StaffClient } from '../support/staff-client.js';
import type { TerminalClient, TestApp } from '../support/test-app.js';

/** Above ¥200 and up to ¥2,000: refund key + one-time code under the default thresholds. */
export const KEY_AND_CODE = 50_000;
/** Above ¥2,000: key + code + a second person's approval. */
export const WITH_APPROVAL = 300_000;
/** The demo owner's phone (DemoService). */
export const OWNER_PHONE = '13800138000';
export const MANAGER_PHONE = '13900139000';

/** A succeeded card sale of `amount` and a refund of it (or of `refundAmount`) waiting for authorization. */
export async function startRefund(
  terminal: TerminalClient,
  amount: number,
  body: Record<string, unknown> = {},
  refundAmount = amount,
) {
  const sale = await terminal.sale(amount);
  const answer = await terminal.post('/v1/refunds', {
    sale_id: sale.id,
    amount: refundAmount,
    reason: '顾客退货 / return',
    ...body,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as {
    id: string;
    sale_id: string;
    status: string;
    authorization: {
      required: string[];
      satisfied: string[];
      code_sent_to: string[];
      code_expires_at: string | null;
      attempts_left: number | null;
    };
    expires_at: string;
  };
}

/** The newest one-time code queued for a refund to `recipient`, read the way the delivery worker reads it. */
export async function codeOf(t: TestApp, refundId: string, recipient = OWNER_PHONE): Promise<string> {
  let newest: { no: number; code: string } | undefined;
  for (const row of await t.services.outbox.listFor(recipient, 500)) {
    if (row.template !== 'refund_code') continue;
    const params = t.services.outbox.parameters(row);
    if (params.refund_id !== refundId) continue;
    const no = Number(params.code_no);
    if (!newest || no > newest.no) newest = { no, code: String(params.code) };
  }
  if (!newest) throw new Error(`no refund_code for ${refundId} to ${recipient}`);
  return newest.code;
}

/** A code of the same length that is certainly not `code`. */
export function wrongCode(code: string, n = 1): string {
  const shifted = [...code].map((d, i) => (i === 0 ? String((Number(d) + n) % 10) : d)).join('');
  return shifted === code ? `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}` : shifted;
}

/** Messages of one template queued for a recipient. */
export async function messagesTo(t: TestApp, recipient: string, template: string) {
  return (await t.services.outbox.listFor(recipient, 500)).filter((row) => row.template === template);
}

/** The demo owner signed in and freshly re-authenticated (policy edits and unlocks need it). */
export async function ownerSession(
  t: TestApp,
  demo: { owner: { login: string; password: string } },
): Promise<StaffClient> {
  const owner = await StaffClient.signIn(t, demo.owner.login, demo.owner.password);
  await owner.reauth();
  return owner;
}

/** Replace a store's refund policy as the owner; throws unless it is accepted. */
export async function setPolicy(owner: StaffClient, storeId: string, policy: Record<string, unknown>): Promise<void> {
  const answer = await owner.post(`/v1/stores/${storeId}/refund-policy`, policy);
  if (answer.status !== 200) throw new Error(`policy refused: ${answer.status} ${JSON.stringify(answer.body)}`);
}
