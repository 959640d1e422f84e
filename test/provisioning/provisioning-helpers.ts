import { expect } from 'vitest';
import { StaffClient } from '../support/staff-client.js';
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

/** A platform admin signed in (created the way `refundkey admin create` does, without the process). */
export async function signedInAdmin(t: TestApp): Promise<StaffClient> {
  const login = newLogin('admin');
  await t.services.provisioning.createPlatformAdmin({ login, name: login, password: NEW_PASSWORD });
  return StaffClient.signIn(t, login, NEW_PASSWORD);
}

/** An urgent announcement to every merchant, in force from a minute ago for a day, published by a new platform admin. */
export async function publishUrgentAnnouncement(t: TestApp, title: string, body: string): Promise<string> {
  const admin = await signedInAdmin(t);
  const now = t.clock.now();
  const published = await admin.post('/v1/admin/announcements', {
    title,
    body,
    severity: 'urgent',
    audience: { kind: 'all' },
    starts_at: new Date(now - 60_000).toISOString(),
    ends_at: new Date(now + 86_400_000).toISOString(),
  });
  if (published.status !== 201)
    throw new Error(`publish failed: ${published.status} ${JSON.stringify(published.body)}`);
  return String(published.body.id);
}

/** Accept the newest invitation sent to `phone` with NEW_PASSWORD; throws unless signed in. */
export async function acceptInvitation(t: TestApp, phone: string): Promise<Answer> {
  const token = await secretSentTo(t, phone, 'staff_invitation', 'token');
  const answer = await t.request('POST', '/v1/auth/invitations/accept', { body: { token, password: NEW_PASSWORD } });
  if (answer.status !== 200) throw new Error(`accept failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** A merchant made through the API: its owner accepted and is signed in, with one store. */
export async function provisionedMerchant(t: TestApp, admin: StaffClient) {
  const ownerPhone = newPhone();
  const ownerLogin = newLogin('owner');
  const created = await admin.post('/v1/merchants', {
    name: `商户 ${ownerLogin}`,
    owner: { login: ownerLogin, name: '店主', phone: ownerPhone },
  });
  if (created.status !== 201) throw new Error(`merchant: ${created.status} ${JSON.stringify(created.body)}`);
  await acceptInvitation(t, ownerPhone);
  const owner = await StaffClient.signIn(t, ownerLogin, NEW_PASSWORD);
  const store = await owner.post('/v1/stores', { name: '一号店' });
  if (store.status !== 201) throw new Error(`store: ${store.status} ${JSON.stringify(store.body)}`);
  return { merchantId: created.body.id as string, owner, ownerPhone, storeId: store.body.id as string };
}

/** Create a staff member as `by` and have them accept; answers their id, phone and signed-in client. */
export async function hire(
  t: TestApp,
  by: StaffClient,
  role: 'owner' | 'manager' | 'cashier',
  storeIds: string[] | null,
): Promise<{ id: string; phone: string; login: string; client: StaffClient }> {
  const phone = newPhone();
  const login = newLogin(role);
  const created = await by.post('/v1/staff', { login, name: `${role} 员工`, role, phone, store_ids: storeIds });
  if (created.status !== 201) throw new Error(`staff: ${created.status} ${JSON.stringify(created.body)}`);
  await acceptInvitation(t, phone);
  return { id: created.body.id as string, phone, login, client: await StaffClient.signIn(t, login, NEW_PASSWORD) };
}
