// Issue 15 item 5 "Done when": an application — phone verified → submitted → (more information asked, amended) →
// approved → the owner's invitation accepted → an activation code that activates a working terminal that sells.
// Every message goes through the real transports: SMS to an SMPP server, e-mail to an SMTP server on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD } from '../auth/auth-helpers.js';
import { person } from '../mfa/mfa-helpers.js';
import { FakeSmsc } from '../notify/support/smsc.js';
import { SmtpSink } from '../notify/support/smtp-sink.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { CARD_OK, TestApp } from '../support/test-app.js';
import { BANK_ACCOUNT, details, newPhone, solvedChallenge } from './apply-helpers.js';

describe.each(DIALECTS)('merchant application, end to end [%s]', (dialect) => {
  let t: TestApp;
  const smsc = new FakeSmsc();
  const smtp = new SmtpSink();
  beforeAll(async () => {
    await Promise.all([smsc.start(), smtp.start()]);
    t = await TestApp.start(dialect, { env: { SMTP_URL: smtp.url, SMTP_SECURE: 'none', SMPP_URL: smsc.url } });
  });
  afterAll(async () => {
    try {
      await t?.close();
    } finally {
      await Promise.all([smsc.stop(), smtp.stop()]);
    }
  });

  /** The SMS texts that reached `phone` through the SMPP server (the delivery worker's pass is run here). */
  async function smsTo(phone: string, count: number): Promise<string[]> {
    for (let i = 0; i < 100; i++) {
      await t.services.delivery.deliverDue();
      const texts = smsc
        .messages()
        .filter((m) => m.destination.endsWith(phone))
        .map((m) => m.text);
      if (texts.length >= count) return texts;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`fewer than ${count} SMS to ${phone}`);
  }

  it('verified, submitted, amended on request, approved; the owner accepts; a terminal activates and sells', async () => {
    const phone = newPhone();
    const form = details({ terminal_count: 3, rate_plan_id: 'standard' });
    t.secrets.add('bank account', BANK_ACCOUNT);
    t.secrets.add('bank account', BANK_ACCOUNT.replace(/\s/g, ''));

    // 1. The phone, proved by the code that arrived by SMS.
    expect((await t.request('POST', '/v1/apply/phone-codes', { body: { phone } })).status).toBe(202);
    const [codeSms] = await smsTo(phone, 1);
    const code = /验证码(\d{6})/.exec(codeSms ?? '')?.[1];
    expect(code, codeSms).toBeDefined();
    const verified = await t.request('POST', '/v1/apply/phone-codes/verify', { body: { phone, code } });
    expect(verified.status).toBe(200);

    // 2. Submitted, with a solved challenge after the minimum fill time; the status link answers it, masked.
    const check = await solvedChallenge(t);
    const submitted = await t.request('POST', '/v1/apply/applications', {
      body: { ...form, phone, phone_token: verified.body.phone_token, ...check, website: '' },
    });
    expect(submitted.status).toBe(201);
    const token = submitted.body.status_token as string;
    expect(submitted.body.status_url).toBe(`/console/apply/status#${token}`);
    const status = await t.request('GET', `/v1/apply/status?token=${encodeURIComponent(token)}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      status: 'submitted',
      business_name: form.business_name,
      bank_account: '**** **** 6789',
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      terminal_count: 3,
      rate_plan: { id: 'standard' },
    });
    expect(JSON.stringify(status.body)).not.toContain('0112');
    const stored = await t.db.selectFrom('applications').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain('3456789');
    // The status link also reached the verified phone (a closed tab does not lose the application).
    const linkSms = (await smsTo(phone, 2))[1] ?? '';
    expect(linkSms).toContain(`${form.business_name}的入网申请已提交`);
    const link = /(https?:\/\/\S+\/console\/apply\/status#(\S+))/.exec(linkSms);
    expect(link?.[2], linkSms).toBe(token);
    // The review comes later (messages to one phone made in the same millisecond could share an SMS concatenation
    // reference, which the SMSC of the test then joins).
    t.clock.advance(60_000);

    // 3. The admin asks for more; the applicant reads it by SMS and amends through the link.
    const adminWho = await person(t, null, 'admin');
    const admin = await StaffClient.signIn(t, adminWho.login, adminWho.password);
    const queue = await admin.get('/v1/applications?status=submitted');
    expect(queue.status).toBe(200);
    const id = submitted.body.id as string;
    expect(queue.body.data.map((a: { id: string }) => a.id)).toEqual([id]);
    expect(queue.body.data[0].phone).toBe(phone);
    const asked = await admin.post(`/v1/applications/${id}/request-info`, { message: '请补充门店详细地址（楼层）' });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('needs_info');
    expect((await smsTo(phone, 3))[2]).toContain('请补充门店详细地址');
    const amended = await t.request('POST', '/v1/apply/status/amend', {
      body: { ...form, address: '福建省福州市鼓楼区南后街 88 号 2 楼', token },
    });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ status: 'submitted', address: '福建省福州市鼓楼区南后街 88 号 2 楼' });

    // 4. Approved with another rate plan: merchant, store, invited owner and 3 terminals, in one answer.
    const approved = await admin.post(`/v1/applications/${id}/approve`, { rate_plan_id: 'small_business' });
    expect(approved.status).toBe(200);
    expect(approved.body.terminals).toHaveLength(3);
    expect(approved.body.application).toMatchObject({ status: 'approved', rate_plan: { id: 'small_business' } });
    expect(JSON.stringify(approved.body)).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/); // codes: owner only
    const merchant = await t.services.merchants.getMerchant(approved.body.merchant_id);
    expect(merchant).toMatchObject({ name: form.business_name, ratePlanId: 'small_business' });
    expect((await t.request('GET', `/v1/apply/status?token=${encodeURIComponent(token)}`)).body.status).toBe(
      'approved',
    );

    // 5. The owner: the invitation and the activation codes by SMS (and e-mail).
    const texts = await smsTo(phone, 5);
    const invitation = /邀请码(inv_[A-Za-z0-9_-]+)/.exec(texts.join('\n'))?.[1];
    const codes = [...texts.join('\n').matchAll(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/g)].map((m) => m[0]);
    expect(invitation).toBeDefined();
    expect(codes).toHaveLength(3);
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes(String(form.email))).length).toBe(2);
    t.secrets.add('invitation', invitation);
    for (const c of codes) t.secrets.add('activation code', c);
    const accepted = await t.request('POST', '/v1/auth/invitations/accept', {
      body: { token: invitation, password: STRONG_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('signed_in');
    const owner = await StaffClient.signIn(t, phone, STRONG_PASSWORD);

    // 6. An activation code makes a working terminal; the owner is its operator 01 (password by SMS); it sells.
    const activated = await t.request('POST', '/v1/terminals/activate', { body: { activation_code: codes[1] } });
    expect(activated.status).toBe(201);
    const operator = await owner.post('/v1/operators', {
      store_id: approved.body.store_id,
      staff_id: approved.body.owner.id,
      operator_no: '01',
    });
    expect(operator.status).toBe(201);
    const passwordSms = (await smsTo(phone, 6)).find((s) => s.includes('初始密码')) ?? '';
    const operatorPassword = /初始密码(\d{6})/.exec(passwordSms)?.[1] ?? '';
    t.secrets.add('password', operatorPassword);
    const key = activated.body.terminal_key as string;
    const session = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: '01', password: operatorPassword },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(session.status).toBe(201);
    const sale = await t.request('POST', '/v1/sales', {
      body: { amount: 8_800, currency: 'CNY', payment_method: CARD_OK },
      headers: {
        authorization: `Bearer ${key}`,
        'x-operator-session': session.body.operator_session,
        'idempotency-key': `apply-e2e-${dialect}`,
      },
    });
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({ status: 'succeeded', amount: 8_800, store_id: approved.body.store_id });

    const events = (await t.db.selectFrom('audit_log').select('event').execute()).map((r) => r.event);
    for (const event of [
      'application.submitted',
      'application.info_requested',
      'application.amended',
      'application.approved',
    ]) {
      expect(events).toContain(event);
    }
  });
});
