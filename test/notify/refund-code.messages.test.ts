import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_AND_CODE, OWNER_PHONE, startRefund } from '../authorization/authz-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { FakeSmsc } from './support/smsc.js';
import { SmtpSink } from './support/smtp-sink.js';

// Issue 4 end to end: a refund that needs a one-time code sends it by SMS (SMPP) and e-mail (SMTP) through the
// outbox; the code read from the SMS, with the refund key, completes the refund at the terminal.
describe.each(DIALECTS)('refund code by SMS and e-mail, end to end [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let smtp: SmtpSink;
  let smsc: FakeSmsc;

  beforeAll(async () => {
    smtp = new SmtpSink();
    await smtp.start();
    smsc = new FakeSmsc();
    await smsc.start();
    t = await TestApp.start(dialect, { env: { SMTP_URL: smtp.url, SMTP_SECURE: 'none', SMPP_URL: smsc.url } });
    m = await t.seedMerchant();
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await smsc?.stop();
  });

  it('delivers the code with amount, store, terminal, sale and expiry, and the code completes the refund', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    expect(refund.authorization.required).toContain('one_time_code');
    await t.services.delivery.deliverDue();

    const sms = smsc.messages().find((s) => s.destination === OWNER_PHONE && s.text.includes('¥500.00'));
    expect(sms, 'the owner received the code by SMS').toBeDefined();
    const text = sms?.text ?? '';
    // Issue 10 point 12: one SMS part, no internal id, the expiry in Beijing time.
    expect(text.startsWith('【refundkey】退款验证码')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(70);
    expect(sms?.parts).toHaveLength(1);
    expect(text).not.toMatch(/(trm|sal|sto|opr|ref)_/);
    expect(text).toMatch(/北京时间\d{2}:\d{2}前有效/);
    const code = /验证码(\d{6,8})/.exec(text)?.[1] ?? '';

    const mail = smtp.mails.find((x) => x.to.includes(m.demo.owner.login) && x.text.includes('¥500.00'));
    expect(mail?.text).toContain(`退款验证码：${code}`);
    // The e-mail keeps every detail, by the names people know: store, terminal, operator, short sale reference.
    for (const piece of ['¥500.00', '终端：POS-1', `尾号 ${refund.sale_id.slice(-6)}`, '操作员：01', '北京时间']) {
      expect(mail?.text).toContain(piece);
    }
    expect(mail?.text).not.toMatch(/(trm|sal|sto|opr|ref)_[0-9A-Za-z]{6}/);

    const done = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('succeeded');
    for (const line of t.logs) expect(line).not.toContain(code);
  });
});
