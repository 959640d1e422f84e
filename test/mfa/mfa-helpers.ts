import type { StaffRole } from '../../src/modules/staff/staff.table.js';
import { STRONG_PASSWORD } from '../auth/auth-helpers.js';
import { knownSecondFactor, pendingCookieOf, StaffClient, totpCode } from '../support/staff-client.js';
import type { Answer, TestApp } from '../support/test-app.js';

export { totpCode };

let seq = 0;

/** A person with a phone and an e-mail; owners, managers and admins enrol TOTP through the API when signing in. */
export async function person(
  t: TestApp,
  merchantId: string | null,
  role: StaffRole,
  { locale }: { locale?: string } = {},
): Promise<{ id: string; login: string; password: string; phone: string; email: string }> {
  const n = ++seq;
  const login = `mfa-${role}-${n}-${process.pid}@test.refundkey.test`;
  const phone = `1361${String(process.pid % 1000).padStart(3, '0')}${String(n).padStart(4, '0')}`;
  const user = await t.services.staff.createUser({
    merchantId,
    role,
    login,
    password: STRONG_PASSWORD,
    name: `${role} ${n}`,
    phone,
    email: login,
    ...(locale ? { locale } : {}),
  });
  return { id: user.id, login, password: STRONG_PASSWORD, phone, email: login };
}

/** An owner signed in with TOTP enrolled through the API; the seed and backup codes it was shown. */
export async function enrolledOwner(t: TestApp, merchantId: string) {
  const who = await person(t, merchantId, 'owner');
  const client = await StaffClient.signIn(t, who.login, who.password);
  const { totpSecret, backupCodes } = knownSecondFactor(t, who.login);
  if (!totpSecret) throw new Error('no factor enrolled');
  return { ...who, client, secret: totpSecret, backupCodes };
}

/** The password step: answers `second_factor_required` and the pending-login cookie. */
export async function passwordStep(t: TestApp, login: string, password: string): Promise<string> {
  const answer = await t.request('POST', '/v1/auth/login', { body: { login, password } });
  const pending = pendingCookieOf(answer);
  if (answer.status !== 200 || answer.body.status !== 'second_factor_required' || !pending) {
    throw new Error(`no pending login: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return pending;
}

/** The second step with a pending-login cookie. */
export function secondFactor(t: TestApp, pending: string, method: string, code: string): Promise<Answer> {
  return t.request('POST', '/v1/auth/second-factor', {
    body: { method, code },
    headers: { cookie: `rk_pending=${pending}` },
  });
}

/** The newest secret parameter `name` of a message with this template to `recipient`. */
export async function newestSecret(t: TestApp, recipient: string, template: string, name = 'code'): Promise<string> {
  for (const row of await t.services.outbox.listFor(recipient, 200)) {
    if (row.template !== template) continue;
    const value = t.services.outbox.parameters(row)[name];
    if (typeof value === 'string') return value;
  }
  throw new Error(`no ${template} to ${recipient}`);
}

/** Messages with this template to `recipient`, newest first, with their parameters. */
export async function messagesTo(t: TestApp, recipient: string, template: string) {
  const rows = (await t.services.outbox.listFor(recipient, 200)).filter((r) => r.template === template);
  return rows.map((row) => ({ row, params: t.services.outbox.parameters(row) }));
}

/** A code of the same length that is certainly not `code`. */
export function wrong(code: string, n = 1): string {
  return [...code].map((d, i) => (i === 0 ? String((Number(d) + n) % 10) : d)).join('');
}
