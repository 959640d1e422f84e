import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../src/lib/clock.js';
import { renderMessage } from '../../src/modules/notify/templates.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { CODE_MESSAGE, eventually, NotifyApp } from './support/notify-app.js';
import { FakeSmsc } from './support/smsc.js';
import { SmtpSink } from './support/smtp-sink.js';

// Issue 4: refund codes reach the merchant by e-mail (SMTP) and SMS (SMPP), correctly written in Chinese (docs/security.md
// "Message": amount, store, terminal, sale reference and expiry), once, with the secret erased after delivery.
describe.each(DIALECTS)('messages over SMTP and SMPP [%s]', (dialect) => {
  let database: TestDatabase;
  let smtp: SmtpSink;
  let smsc: FakeSmsc;
  let t: NotifyApp;
  const clock = new ManualClock();

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    smtp = new SmtpSink();
    await smtp.start();
    smsc = new FakeSmsc();
    await smsc.start();
    t = await NotifyApp.start(database.url, clock, { SMTP_URL: smtp.url, SMTP_SECURE: 'none', SMPP_URL: smsc.url });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await smsc?.stop();
    await database?.drop();
  });
  afterEach(() => {
    smtp.mails.length = 0;
    smsc.parts.length = 0;
  });

  it('delivers a refund-code e-mail with the Chinese text, a stable Message-ID, and erases the code afterwards', async () => {
    const id = await t.enqueue(CODE_MESSAGE('owner@example.com', 'email', '482913'));
    const report = await t.services.delivery.deliverDue();
    expect(report).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail?.to).toEqual(['owner@example.com']);
    expect(mail?.messageId).toBe(`<${id}@refundkey.local>`);
    expect(mail?.refundkeyId).toBe(id);
    expect(mail?.subject).toBe('【refundkey】退款验证码：¥12.34（南京西路店）');
    expect(mail?.text).toContain('退款验证码：482913');
    for (const line of [
      '金额：¥12.34',
      '门店：南京西路店',
      '终端：1号收银台',
      '操作员：03 王芳',
      '原交易：尾号 9x8y7z',
      '有效期至：11月25日 10:05（北京时间）',
    ]) {
      expect(mail?.text).toContain(line);
    }
    expect(mail?.html).toContain('退款验证码：482913');
    expect(mail?.html).toContain('<html lang="zh-CN">');

    const row = await t.row(id);
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      last_error: null,
      provider_ref: `<${id}@refundkey.local>`,
    });
    expect(row.payload).not.toContain('sealed');
    expect(t.services.outbox.parameters(row).code).toBeUndefined();
  });

  it('renders English for an English-speaking recipient', async () => {
    await t.enqueue(CODE_MESSAGE('en@example.com', 'email', '111222', { locale: 'en' }));
    await t.drain();
    expect(smtp.mails[0]?.subject).toBe('【refundkey】Refund code: ¥12.34 (南京西路店)');
    expect(smtp.mails[0]?.text).toContain('Refund code: 111222');
  });

  it('delivers a refund-code SMS in UCS-2 that starts with 【refundkey】, and a receipt marks it delivered', async () => {
    const id = await t.enqueue(CODE_MESSAGE('13800001234', 'sms', '905173'));
    await t.services.delivery.deliverDue();
    const messages = smsc.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe(
      '【refundkey】退款验证码905173，¥12.34，南京西路店，原交易尾号9x8y7z，北京时间10:05前有效，勿告知他人。',
    );
    const parts = messages[0]?.parts ?? [];
    expect(parts.length).toBe(1); // issue 10 point 12: one part (it was 2, and 3 with a real store name)
    expect(parts[0]?.concat).toBeNull();
    for (const part of parts) {
      expect(part).toMatchObject({
        destination: '13800001234',
        source: 'refundkey',
        dataCoding: 8,
        systemId: 'refundkey',
      });
    }
    expect(await t.row(id)).toMatchObject({ status: 'sent', provider_ref: parts[0]?.messageId });

    for (const part of parts) smsc.sendReceipt(part.messageId);
    const delivered = await eventually(async () => {
      const row = await t.row(id);
      return row.status === 'delivered' && row;
    });
    expect(delivered.delivered_at).toBe(clock.now());
  });

  it('splits a 200-character Chinese SMS into concatenated UCS-2 parts that join back to the text', async () => {
    const reason = '顾客反映商品包装破损，经店长现场核实后同意全额退货，并已收回原商品及赠品，请尽快审批。'.repeat(3);
    const params = { ...CODE_MESSAGE('x', 'sms', '0').params, amount: 128800, reason };
    const expected = renderMessage('approval_requested', 'zh-CN', params).sms;
    expect(expected.length).toBeGreaterThanOrEqual(200);
    const id = await t.enqueue({ channel: 'sms', recipient: '13900005678', template: 'approval_requested', params });
    await t.services.delivery.deliverDue();

    const messages = smsc.messages();
    expect(messages).toHaveLength(1);
    const sms = messages[0];
    expect(sms?.text).toBe(expected);
    const total = Math.ceil(expected.length / 67);
    expect(sms?.parts).toHaveLength(total);
    sms?.parts.forEach((part, i) => {
      expect(part.dataCoding).toBe(8);
      expect(part.esmClass & 0x40).toBe(0x40);
      expect(part.concat).toEqual({ ref: sms.parts[0]?.concat?.ref, total, seq: i + 1 });
      expect(part.text.length).toBeLessThanOrEqual(67);
    });

    // Delivered only when every part has its receipt.
    for (const part of sms?.parts.slice(0, -1) ?? []) smsc.sendReceipt(part.messageId);
    const last = sms?.parts.at(-1)?.messageId ?? '';
    await eventually(
      async () =>
        (
          await t.services.database.db
            .selectFrom('outbox_provider_refs')
            .select('ref')
            .where('outbox_id', '=', id)
            .where('state', '=', 'DELIVRD')
            .execute()
        ).length ===
        total - 1,
    );
    expect((await t.row(id)).status).toBe('sent');
    smsc.sendReceipt(last);
    await eventually(async () => (await t.row(id)).status === 'delivered');
  });

  it('sends each message once in the normal path, however often the worker runs', async () => {
    const ids = [
      await t.enqueue(CODE_MESSAGE('a@example.com', 'email', '100001')),
      await t.enqueue(CODE_MESSAGE('13800000001', 'sms', '100002')),
      await t.enqueue({
        channel: 'email',
        recipient: 'b@example.com',
        template: 'refund_key_changed',
        params: { at: clock.now() },
      }),
    ];
    for (let i = 0; i < 5; i++) {
      await t.services.delivery.deliverDue();
      clock.advance(MINUTE);
    }
    expect(smtp.mails.map((m) => m.refundkeyId).sort()).toEqual([ids[0], ids[2]].sort());
    expect(smsc.messages()).toHaveLength(1);
    for (const id of ids) expect((await t.row(id)).attempts).toBe(1);
  });

  it('is delivered by the background worker (workers.start) without anyone calling deliverDue', async () => {
    const id = await t.enqueue(CODE_MESSAGE('worker@example.com', 'email', '676767'));
    t.app.workers.start({ intervalMs: 20 });
    try {
      // The mail reaches the sink a moment before the worker records it as sent: wait for both.
      await eventually(async () => smtp.mails.some((m) => m.refundkeyId === id) && (await t.row(id)).status === 'sent');
    } finally {
      t.app.workers.stop();
    }
    expect((await t.row(id)).status).toBe('sent');
  });
});
