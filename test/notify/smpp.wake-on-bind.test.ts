import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../src/lib/clock.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { CODE_MESSAGE, eventually, NotifyApp } from './support/notify-app.js';
import { FakeSmsc, freePort } from './support/smsc.js';

const SECOND = 1_000;

// Issue 10 point 10: a code lives 5 minutes. With the SMSC down for 3 of them, its retries had backed off (5, 10, 20,
// 40, 80 s ...) so far that the next one fell after the code's expiry and the message was failed at once; when the SMSC
// came back the code was not sent. Now the message waits, and the SMSC's bind makes it due at once.
describe.each(DIALECTS)('a queued SMS is woken when the SMSC binds [%s]', (dialect) => {
  let database: TestDatabase;
  const clock = new ManualClock();

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
  });
  afterAll(async () => database?.drop());

  it('delivers a code whose SMSC was down for 3 of its 5 minutes, as soon as the SMSC is back', async () => {
    const port = await freePort();
    const smsc = new FakeSmsc();
    const t = await NotifyApp.start(database.url, clock, { SMPP_URL: `smpp://refundkey:secret12@127.0.0.1:${port}` });
    try {
      const enqueuedAt = clock.now();
      const giveUpAt = enqueuedAt + 5 * MINUTE;
      const id = await t.enqueue(CODE_MESSAGE('13800003333', 'sms', '615243', { giveUpAt }));

      // Three minutes without an SMSC, the worker running every 10 s.
      while (clock.now() - enqueuedAt < 3 * MINUTE) {
        await t.services.delivery.deliverDue();
        clock.advance(10 * SECOND);
      }
      const waiting = await t.row(id);
      expect(waiting).toMatchObject({ status: 'queued', attempts: 6 });
      expect(waiting.last_error).toMatch(/not reachable/);
      // The backoff would bring the next try after the code's expiry: it waits there, and nothing is due now.
      expect(waiting.next_attempt_at).toBe(giveUpAt);
      expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 0 });
      expect(waiting.payload).toContain('sealed'); // the code is still there to send

      // The SMSC comes back: the transport's own reconnect binds, and the bind makes the SMS due now.
      await smsc.start(port);
      await eventually(async () => smsc.binds === 1 && (await t.row(id)).next_attempt_at <= clock.now());
      expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 1, sent: 1 });
      expect(clock.now()).toBeLessThan(giveUpAt);
      expect(smsc.messages().map((m) => m.text)).toEqual([expect.stringContaining('退款验证码615243')]);
      expect(await t.row(id)).toMatchObject({ status: 'sent', attempts: 7 });
      expect(t.logs.some((line) => line.includes('queued messages are due now'))).toBe(true);
    } finally {
      await t.close();
      await smsc.stop();
    }
  });

  it('still gives a code up at its expiry when the SMSC never comes back', async () => {
    const port = await freePort();
    const t = await NotifyApp.start(database.url, clock, { SMPP_URL: `smpp://refundkey:secret12@127.0.0.1:${port}` });
    try {
      const giveUpAt = clock.now() + 5 * MINUTE;
      const id = await t.enqueue(CODE_MESSAGE('13800004444', 'sms', '736251', { giveUpAt }));
      while (clock.now() <= giveUpAt) {
        await t.services.delivery.deliverDue();
        clock.advance(10 * SECOND);
      }
      const failed = await t.row(id);
      expect(failed.status).toBe('failed');
      expect(failed.last_error).toMatch(/not reachable/);
      expect(failed.payload).not.toContain('sealed');
    } finally {
      await t.close();
    }
  });
});
