import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { CODE_MESSAGE, NotifyApp } from './support/notify-app.js';
import { SmtpSink } from './support/smtp-sink.js';

// docs/security.md "Logs": never a code. Issue 4: in production mode GET /dev/outbox does not exist and no code reaches a
// log line, whichever transport carries it (SMTP here, the development outbox for SMS).
const SECRET = 'production-secret-0123456789abcdef0123456789';

describe.each(DIALECTS)('messages: no code in logs, no dev outbox in production [%s]', (dialect) => {
  let smtp: SmtpSink;
  const clock = new ManualClock();

  beforeAll(async () => {
    smtp = new SmtpSink();
    await smtp.start();
  });
  afterAll(async () => {
    await smtp?.stop();
  });

  async function exercise(env: Record<string, string>, codes: [string, string, string], phone: string) {
    // Each mode on a database of its own: production leaves its SMS queued, sealed under its own key.
    const own = await createTestDatabase(dialect, { migrated: true });
    // Development mode logs message texts on purpose (the control below), so only it skips close()'s secrets scan.
    const t = await NotifyApp.start(
      own.url,
      clock,
      { SMTP_URL: smtp.url, SMTP_SECURE: 'none', ...env },
      { allowSecretsInLogs: env.NODE_ENV === 'development' },
    );
    try {
      await t.enqueue(CODE_MESSAGE('owner@example.com', 'email', codes[0]));
      // No SMSC configured: the development transport in development; outside it, SMS is off and nothing is sent.
      await t.enqueue(CODE_MESSAGE(phone, 'sms', codes[1]));
      await t.enqueue({
        channel: 'sms',
        recipient: phone,
        template: 'recovery_code',
        params: { expires_at: clock.now() },
        secretParams: { code: codes[2] },
      });
      const report = await t.services.delivery.deliverDue();
      expect(report).toMatchObject({ claimed: 3, sent: env.NODE_ENV === 'production' ? 1 : 3 });
      const outbox = await t.app.server.inject({ method: 'GET', url: `/dev/outbox?to=${phone}` });
      const sms = await t.services.outbox.listFor(phone, 10);
      return { logs: [...t.logs], outbox, sms };
    } finally {
      await t.close();
      await own.drop();
    }
  }

  it('production: /dev/outbox is 404 and no captured log line holds a code', async () => {
    const codes: [string, string, string] = ['739201', '584736', '271828'];
    const { logs, outbox, sms } = await exercise(
      { NODE_ENV: 'production', REFUNDKEY_SECRET: SECRET },
      codes,
      '13800000001',
    );
    expect(outbox.statusCode).toBe(404);
    expect(JSON.parse(outbox.body).error.code).toBe('ROUTE_NOT_FOUND');
    expect(smtp.mails.some((m) => m.text.includes(codes[0]))).toBe(true); // the code did travel, by e-mail only
    // Issue 11 point 4: without an SMSC, production says loudly that SMS is off and marks no SMS sent.
    expect(logs.some((line) => line.includes('SMS is OFF: no SMPP_URL'))).toBe(true);
    expect(logs.some((line) => line.includes('dev outbox message'))).toBe(false);
    expect(sms.map((row) => row.status)).toHaveLength(2);
    expect(sms.every((row) => row.status !== 'sent')).toBe(true);
    for (const line of logs) for (const code of codes) expect(line).not.toContain(code);
  });

  it('development (the control): the same scan finds the codes the dev transport logs, and /dev/outbox shows them', async () => {
    const codes: [string, string, string] = ['918273', '645372', '112358'];
    const { logs, outbox } = await exercise(
      { NODE_ENV: 'development', SMS_SIGNATURE: '好店收银' },
      codes,
      '13800000002',
    );
    expect(logs.some((line) => line.includes(codes[1]))).toBe(true);
    expect(outbox.statusCode).toBe(200);
    const messages = JSON.parse(outbox.body).messages as Array<{
      template: string;
      code: string | null;
      text: string;
      status: string;
    }>;
    const refundCode = messages.find((m) => m.template === 'refund_code');
    expect(refundCode).toMatchObject({ code: codes[1], status: 'sent' });
    // The text as the transport sent it: the configured signature (issue 10 point 13), one SMS part.
    expect(refundCode?.text).toContain(`【好店收银】退款验证码${codes[1]}`);
    expect(refundCode?.text.length).toBeLessThanOrEqual(70);
    expect(logs.some((line) => line.includes(`【好店收银】退款验证码${codes[1]}`))).toBe(true);
    expect(messages.find((m) => m.template === 'recovery_code')?.code).toBe(codes[2]);
  });

  it('test mode: /dev/outbox lists codes but the log lines do not carry them', async () => {
    const codes: [string, string, string] = ['202611', '303030', '404040'];
    const { logs, outbox } = await exercise({}, codes, '13800000003');
    expect(outbox.statusCode).toBe(200);
    const messages = JSON.parse(outbox.body).messages as Array<{ template: string; code: string | null }>;
    expect(messages.map((m) => m.code).sort()).toEqual([codes[1], codes[2]].sort());
    for (const line of logs) for (const code of codes) expect(line).not.toContain(code);
  });
});
