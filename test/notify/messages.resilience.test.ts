import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../src/lib/clock.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { CODE_MESSAGE, eventually, NotifyApp } from './support/notify-app.js';
import { FakeSmsc, freePort } from './support/smsc.js';
import { SmtpSink } from './support/smtp-sink.js';

const SECOND = 1_000;

// Issue 4: a message is never lost — it waits while the peer is down, survives a restart between commit and send,
// and a worker that died mid-send is replaced after its lease; codes give up at their own expiry.
describe.each(DIALECTS)('message delivery survives failures [%s]', (dialect) => {
  let database: TestDatabase;
  let smtpPort: number;
  let smppPort: number;
  const clock = new ManualClock();
  const env = () => ({
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_SECURE: 'none',
    SMPP_URL: `smpp://refundkey:secret12@127.0.0.1:${smppPort}`,
  });

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    smtpPort = await freePort();
    smppPort = await freePort();
  });
  afterAll(async () => database?.drop());

  it('keeps an e-mail queued while the SMTP server is down and sends it once it is back', async () => {
    const t = await NotifyApp.start(database.url, clock, env());
    const smtp = new SmtpSink();
    try {
      const id = await t.enqueue(CODE_MESSAGE('down@example.com', 'email', '313131'));
      expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
      const waiting = await t.row(id);
      expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
      expect(waiting.last_error).toMatch(/ECONNREFUSED/);
      expect(waiting.next_attempt_at).toBe(clock.now() + 5 * SECOND);
      expect(waiting.payload).toContain('sealed');
      expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 0 }); // backoff: not yet

      await smtp.start(smtpPort);
      clock.advance(5 * SECOND);
      expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 1, sent: 1 });
      expect(smtp.mails.map((m) => m.refundkeyId)).toEqual([id]);
      expect(smtp.mails[0]?.text).toContain('退款验证码：313131');
      expect(await t.row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      await t.close();
      await smtp.stop();
    }
  });

  it('keeps an SMS queued while the SMSC is down, reconnects with backoff and sends it once it is back', async () => {
    const t = await NotifyApp.start(database.url, clock, env());
    const smsc = new FakeSmsc();
    try {
      const id = await t.enqueue(CODE_MESSAGE('13800002222', 'sms', '424242'));
      expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
      expect((await t.row(id)).last_error).toMatch(/not reachable/);

      // The transport reconnects by itself; its bind makes the waiting SMS due without the clock moving (issue 10).
      await smsc.start(smppPort);
      await eventually(async () => smsc.binds === 1 && (await t.row(id)).next_attempt_at <= clock.now());
      expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 1, sent: 1 });
      expect(smsc.messages()).toHaveLength(1);
      expect(smsc.messages()[0]?.text).toContain('退款验证码424242');

      // The SMSC drops the connection; the transport binds again by itself and the next message goes through.
      await smsc.stop();
      await smsc.start(smppPort);
      const second = await t.enqueue(CODE_MESSAGE('13800002222', 'sms', '525252'));
      for (let i = 0; i < 20 && (await t.row(second)).status !== 'sent'; i++) {
        await t.services.delivery.deliverDue();
        clock.advance(10 * SECOND);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await t.row(second)).status).toBe('sent');
      expect(smsc.binds).toBe(2); // one bind before the SMSC went down, one after it came back
      expect(smsc.messages().filter((m) => m.text.includes('525252'))).toHaveLength(1);
    } finally {
      await t.close();
      await smsc.stop();
    }
  });

  it('sends after a restart what was committed while no worker ran, and what a dead worker had claimed', async () => {
    const smtp = new SmtpSink();
    await smtp.start(smtpPort);
    const first = await NotifyApp.start(database.url, clock, env());
    const committed = await first.enqueue(CODE_MESSAGE('restart@example.com', 'email', '616161'));
    const claimedThenDied = await first.enqueue(CODE_MESSAGE('lease@example.com', 'email', '717171'));
    // The first instance claims the second message (as claimDue does) and "dies" before sending it.
    await first.services.database.db
      .updateTable('outbox')
      .set({ status: 'sending', attempts: 1, next_attempt_at: clock.now() + MINUTE, claimed_by: 'clm_dead' })
      .where('id', '=', claimedThenDied)
      .execute();
    await first.close();

    const second = await NotifyApp.start(database.url, clock, env());
    try {
      await second.drain();
      expect(smtp.mails.map((m) => m.refundkeyId)).toEqual([committed]);
      expect((await second.row(claimedThenDied)).status).toBe('sending');

      clock.advance(MINUTE);
      await second.drain();
      expect(smtp.mails.map((m) => m.refundkeyId)).toEqual([committed, claimedThenDied]);
      expect(await second.row(claimedThenDied)).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      await second.close();
      await smtp.stop();
    }
  });

  it('gives a code up at its own expiry, erases it, and will not resend it; other messages can be retried', async () => {
    const t = await NotifyApp.start(database.url, clock, env());
    const smtp = new SmtpSink();
    try {
      const code = await t.enqueue(
        CODE_MESSAGE('expiry@example.com', 'email', '818181', { giveUpAt: clock.now() + 5 * MINUTE }),
      );
      const notice = await t.enqueue({
        channel: 'email',
        recipient: 'notice@example.com',
        template: 'refund_key_changed',
        params: { at: clock.now() },
      });
      for (let i = 0; i < 12; i++) {
        await t.services.delivery.deliverDue();
        clock.advance(30 * SECOND);
      }
      const failed = await t.row(code);
      expect(failed.status).toBe('failed');
      expect(failed.payload).not.toContain('sealed');
      expect((await t.row(notice)).status).toBe('queued'); // 24 h to go
      await expect(t.services.outbox.retry(code)).rejects.toMatchObject({ code: 'MESSAGE_SECRET_ERASED' });

      clock.advance(25 * 60 * MINUTE);
      await t.services.delivery.deliverDue();
      expect((await t.row(notice)).status).toBe('failed');
      const stats = await t.services.outbox.stats();
      expect(stats.counts.failed).toBeGreaterThanOrEqual(2);

      await smtp.start(smtpPort);
      expect((await t.services.outbox.retry(notice)).status).toBe('queued');
      await t.services.delivery.deliverDue();
      expect(smtp.mails.map((m) => m.refundkeyId)).toEqual([notice]);
      expect(smtp.mails[0]?.subject).toBe('【refundkey】退款密钥已修改');
    } finally {
      await t.close();
      await smtp.stop();
    }
  });
});
