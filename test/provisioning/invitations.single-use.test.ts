// docs/security.md "Secrets at rest" and issue 12 item 2: an invitation token is stored only as an HMAC, works once (also
// under parallel accepts), expires, and lets the person set their own password; a refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/lib/clock.js';
import { renderMessage } from '../../src/modules/notify/templates.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { TestApp } from '../support/test-app.js';
import {
  NEW_PASSWORD,
  newLogin,
  newPhone,
  provisionedMerchant,
  secretSentTo,
  signedInAdmin,
} from './provisioning-helpers.js';

describe.each(DIALECTS)('invitations [%s]', (dialect) => {
  let t: TestApp;
  let owner: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    t.secrets.add('password', NEW_PASSWORD);
    ({ owner } = await provisionedMerchant(t, await signedInAdmin(t)));
  });
  afterAll(async () => t?.close());

  async function invite(): Promise<{ token: string; login: string; id: string }> {
    const phone = newPhone();
    const login = newLogin('cashier');
    const created = await owner.post('/v1/staff', { login, name: '新员工', role: 'cashier', phone });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { token: await secretSentTo(t, phone, 'staff_invitation', 'token'), login, id: created.body.id };
  }

  const accept = (token: string, password = NEW_PASSWORD) =>
    t.request('POST', '/v1/auth/invitations/accept', { body: { token, password } });

  it('the token is stored only as an HMAC', async () => {
    const { token } = await invite();
    const rows = await t.db.selectFrom('invitations').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
  });

  it('20 parallel accepts of one token: exactly one signs in, the others are refused', async () => {
    const { token, login } = await invite();
    const answers = await Promise.all(Array.from({ length: 20 }, () => accept(token)));
    expect(tally(answers)).toEqual({ '200': 1, '400 INVITATION_INVALID': 19 });
    await StaffClient.signIn(t, login, NEW_PASSWORD);
    const used = await t.checksum();
    const late = await accept(token);
    expect(late.status).toBe(400);
    expect(late.body.error.code).toBe('INVITATION_INVALID');
    expect(await t.changedSince(used)).toEqual([]);
  });

  it('a weak password is refused with reasons and the invitation stays usable; nothing else changes', async () => {
    const { token, login } = await invite();
    const before = await t.checksum();
    const weak = await accept(token, 'password1234');
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('PASSWORD_TOO_WEAK');
    expect(weak.body.error.reasons.length).toBeGreaterThan(0);
    expect(await t.changedSince(before)).toEqual([]);
    const weakLogin = await t.request('POST', '/v1/auth/login', { body: { login, password: 'password1234' } });
    expect(weakLogin.status).toBe(401);
    expect(weakLogin.body.error.code).toBe('LOGIN_FAILED');
    expect((await accept(token)).status).toBe(200);
  });

  it('an unknown, a used, an expired and a replaced token are refused alike and change nothing', async () => {
    const unknown = await accept(`inv_${'A'.repeat(43)}`);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'INVITATION_INVALID']);

    const first = await invite();
    const again = await owner.post(`/v1/staff/${first.id}/invitation`);
    expect(again.status).toBe(200);
    const before = await t.checksum();
    const replaced = await accept(first.token);
    expect([replaced.status, replaced.body.error.code]).toEqual([400, 'INVITATION_INVALID']); // replaced by the new one
    expect(await t.changedSince(before)).toEqual([]);

    const late = await invite();
    t.clock.advance(72 * HOUR);
    const beforeExpired = await t.checksum();
    const expired = await accept(late.token);
    expect([expired.status, expired.body.error.code]).toEqual([400, 'INVITATION_INVALID']); // exactly at expiry: expired
    expect(await t.changedSince(beforeExpired)).toEqual([]);
    t.clock.advance(-1);
    expect((await accept(late.token)).status).toBe(200); // one millisecond before: still valid
    t.clock.advance(1);
    owner = await StaffClient.signIn(t, owner.login, NEW_PASSWORD); // 72 h later the owner's session is long over
  });

  it('a disabled person cannot accept; enabling does not revive the old invitation', async () => {
    const { token, id } = await invite();
    await owner.reauth();
    expect((await owner.post(`/v1/staff/${id}/disable`)).body.status).toBe('disabled');
    const disabled = await t.checksum();
    const whileDisabled = await accept(token);
    expect([whileDisabled.status, whileDisabled.body.error.code]).toEqual([400, 'INVITATION_INVALID']);
    expect(await t.changedSince(disabled)).toEqual([]);
    expect((await owner.post(`/v1/staff/${id}/enable`)).body.status).toBe('invited');
    const enabled = await t.checksum();
    const revived = await accept(token);
    expect([revived.status, revived.body.error.code]).toEqual([400, 'INVITATION_INVALID']);
    expect(await t.changedSince(enabled)).toEqual([]);
  });

  it('the invitation says who invites and until when, in the person’s language', async () => {
    const phone = newPhone();
    const created = await owner.post('/v1/staff', {
      login: newLogin('cashier'),
      name: 'Sam',
      role: 'cashier',
      phone,
      locale: 'en',
    });
    expect(created.status).toBe(201);
    const messages = await t.request('GET', `/dev/outbox?to=${phone}`);
    const sms = messages.body.messages.find((m: { template: string }) => m.template === 'staff_invitation');
    expect(sms.text).toContain('invites you');
    // The code itself is in the text while the message waits (the delivered copy keeps it no longer).
    const rendered = renderMessage('staff_invitation', 'en', { ...sms.params, token: 'inv_TOKEN' });
    expect(rendered.sms).toContain('code inv_TOKEN');
    expect(renderMessage('staff_invitation', 'zh-CN', { token: 'inv_TOKEN' }).sms).toContain('邀请码inv_TOKEN');
  });
});
