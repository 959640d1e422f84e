import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { CODE_MESSAGE, NotifyApp } from './support/notify-app.js';
import { FakeSmsc } from './support/smsc.js';
import { SmtpSink } from './support/smtp-sink.js';

// Issue 10 point 13: Chinese carriers deliver only SMS signed with the sender's registered signature, so the
// signature is a setting (SMS_SIGNATURE), not the fixed 【refundkey】.
describe.each(DIALECTS)('SMS_SIGNATURE [%s]', (dialect) => {
  let database: TestDatabase;
  let smsc: FakeSmsc;
  let smtp: SmtpSink;
  const clock = new ManualClock();

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    smsc = new FakeSmsc();
    await smsc.start();
    smtp = new SmtpSink();
    await smtp.start();
  });
  afterAll(async () => {
    await smsc?.stop();
    await smtp?.stop();
    await database?.drop();
  });

  it('signs every SMS and e-mail subject with the configured signature', async () => {
    const t = await NotifyApp.start(database.url, clock, {
      SMPP_URL: smsc.url,
      SMTP_URL: smtp.url,
      SMTP_SECURE: 'none',
      SMS_SIGNATURE: '好店收银',
    });
    try {
      await t.enqueue(CODE_MESSAGE('13800005555', 'sms', '482913'));
      await t.enqueue(CODE_MESSAGE('sign@example.com', 'email', '482914'));
      expect(await t.services.delivery.deliverDue()).toMatchObject({ sent: 2 });
      const sms = smsc.messages()[0]?.text ?? '';
      expect(sms.startsWith('【好店收银】退款验证码482913')).toBe(true);
      expect(sms).not.toContain('refundkey');
      expect(sms.length).toBeLessThanOrEqual(70);
      expect(smtp.mails[0]?.subject).toBe('【好店收银】退款验证码：¥12.34（南京西路店）');
    } finally {
      await t.close();
    }
  });

  it('accepts the signature with or without 【】 and refuses an unusable one, naming the variable', () => {
    expect(loadConfig({ SMS_SIGNATURE: '【好店收银】' }).notify.smsSignature).toBe('【好店收银】');
    expect(loadConfig({}).notify.smsSignature).toBe('【refundkey】');
    for (const bad of ['店', '【】', 'a'.repeat(17)]) {
      expect(() => loadConfig({ SMS_SIGNATURE: bad })).toThrow(/^SMS_SIGNATURE.*must be 2 to 16 characters/);
    }
  });
});
