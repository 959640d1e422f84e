import { solveChallenge } from '../../src/modules/applications/bot-check.js';
import { newestSecret } from '../mfa/mfa-helpers.js';
import type { Answer, TestApp } from '../support/test-app.js';

let seq = 0;

/** A fresh mainland mobile number for this process. */
export function newPhone(): string {
  return `1597${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(4, '0')}`;
}

/** Valid GB 32100-2015 codes (published examples). */
export const CREDIT_CODE = '91350100M000100Y43';
export const CREDIT_CODE_2 = '91110000600037341L';
export const BANK_ACCOUNT = '6222 0210 0112 3456 789';

/** The form as a person fills it (the phone token and bot check added by the caller). */
export function details(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    business_name: '福州三坊七巷茶社',
    credit_code: CREDIT_CODE,
    legal_rep: '林小红',
    email: `apply-${process.pid}-${++seq}@test.refundkey.test`,
    address: '福建省福州市鼓楼区南后街 88 号',
    bank_name: '中国工商银行福州分行',
    bank_account: BANK_ACCOUNT,
    terminal_count: 2,
    rate_plan_id: 'small_business',
    ...overrides,
  };
}

/** Ask for a code; answers the answer. */
export function requestCode(t: TestApp, phone: string): Promise<Answer> {
  return t.request('POST', '/v1/apply/phone-codes', { body: { phone } });
}

/** Ask for a code, read it from the outbox (where the SMS waits), verify it: the phone token. */
export async function verifiedPhone(t: TestApp, phone: string): Promise<string> {
  const sent = await requestCode(t, phone);
  if (sent.status !== 202) throw new Error(`code not sent: ${sent.status} ${JSON.stringify(sent.body)}`);
  const code = await newestSecret(t, phone, 'application_phone_code');
  const verified = await t.request('POST', '/v1/apply/phone-codes/verify', { body: { phone, code } });
  if (verified.status !== 200) throw new Error(`not verified: ${verified.status} ${JSON.stringify(verified.body)}`);
  return verified.body.phone_token as string;
}

/** A challenge solved as the page does, after the minimum fill time has passed on the server's clock. */
export async function solvedChallenge(t: TestApp): Promise<{ challenge: string; solution: string }> {
  const answer = await t.request('GET', '/v1/apply/challenge');
  const { challenge, bits, min_fill_s } = answer.body as { challenge: string; bits: number; min_fill_s: number };
  t.clock.advance(min_fill_s * 1000 + 1_000);
  return { challenge, solution: solveChallenge(challenge, bits) };
}

/** Submit an application with a verified phone and a solved challenge. */
export async function submit(t: TestApp, phone: string, overrides: Record<string, unknown> = {}): Promise<Answer> {
  const phoneToken = await verifiedPhone(t, phone);
  const check = await solvedChallenge(t);
  return t.request('POST', '/v1/apply/applications', {
    body: { ...details(), phone, phone_token: phoneToken, ...check, website: '', ...overrides },
  });
}
