import type { StaffSession } from '../../src/modules/access/staff-context.js';
import { solveChallenge } from '../../src/modules/applications/bot-check.js';
import { newestSecret } from '../mfa/mfa-helpers.js';
import type { TestApp } from '../support/test-app.js';
import { details, newPhone } from './apply-helpers.js';

/**
 * What the authorization matrix's probes of the application routes act on (test/reliability/authorization-matrix): one
 * fresh object per call of the public routes (every role may call them), one application per review route. Made
 * through the services from addresses of their own, so the matrix's own calls (all from 127.0.0.1) meet the per-IP
 * limits exactly as an applicant would.
 */
export interface ApplicationFixtures {
  codes: Array<{ phone: string; code: string }>; // sent, not yet verified: one per verify call
  submissions: Array<Record<string, unknown>>; // a verified phone and a solved challenge: one per submit call
  amendTokens: string[]; // status tokens of applications waiting for more information: one per amend call
  statusToken: string;
  review: { readId: string; approveId: string; rejectId: string; infoId: string };
}

const CALLS = 10;

export async function applicationFixtures(t: TestApp, adminUserId: string): Promise<ApplicationFixtures> {
  const { applications, phoneVerification, review } = t.services;
  let ip = 0;
  const source = () => `198.51.100.${++ip}`;
  const admin: StaffSession = {
    sessionId: 'matrix',
    userId: adminUserId,
    merchantId: null,
    role: 'admin',
    storeIds: null,
    reauthAt: null,
    ip: '127.0.0.1',
  };
  const sendCode = async (): Promise<{ phone: string; code: string }> => {
    const phone = newPhone();
    await phoneVerification.sendCode(phone, source(), 'zh-CN');
    return { phone, code: await newestSecret(t, phone, 'application_phone_code') };
  };
  const ready = async (): Promise<Record<string, unknown>> => {
    const { phone, code } = await sendCode();
    const { phone_token } = await phoneVerification.verify(phone, code);
    const { challenge, bits } = applications.challenge();
    return { ...details(), phone, phone_token, challenge, solution: solveChallenge(challenge, bits), website: '' };
  };
  const codes: Array<{ phone: string; code: string }> = [];
  for (let i = 0; i < CALLS; i++) codes.push(await sendCode());
  const submissions: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 2 * CALLS + 4; i++) submissions.push(await ready());
  t.clock.advance(6_000); // past the minimum fill time of every challenge
  const made = async () => {
    const input = submissions.pop() as Parameters<typeof applications.submit>[0] | undefined;
    if (!input) throw new Error('no submission left');
    return applications.submit(input, source(), {
      statusPage: 'http://localhost/console/apply/status',
      locale: 'zh-CN',
    });
  };
  const amendTokens: string[] = [];
  for (let i = 0; i < CALLS; i++) {
    const { row, statusToken } = await made();
    await review.requestInfo(admin, row.id, '请补充门店照片');
    amendTokens.push(statusToken);
  }
  const status = await made();
  const [readId, approveId, rejectId, infoId] = [
    status.row.id,
    ...(await Promise.all([made(), made(), made()])).map((m) => m.row.id),
  ];
  if (!readId || !approveId || !rejectId || !infoId) throw new Error('review fixtures missing');
  for (const secret of [...amendTokens, status.statusToken]) t.secrets.add('status token', secret);
  return {
    codes,
    submissions,
    amendTokens,
    statusToken: status.statusToken,
    review: { readId, approveId, rejectId, infoId },
  };
}
