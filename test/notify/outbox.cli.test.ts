import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runOutbox } from '../../src/cli/outbox.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { NotifyApp } from './support/notify-app.js';
import { freePort } from './support/smsc.js';

// Issue 4 "Operations": `refundkey outbox stats` and `refundkey outbox retry <id>` on the same database as the server.
describe.each(DIALECTS)('refundkey outbox CLI [%s]', (dialect) => {
  let database: TestDatabase;
  let failedId: string;
  const output: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    const clock = new ManualClock(Date.now());
    const t = await NotifyApp.start(database.url, clock, {
      SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
      SMTP_SECURE: 'none',
    });
    try {
      failedId = await t.enqueue({
        channel: 'email',
        recipient: 'ops@example.com',
        template: 'refund_key_changed',
        params: { at: clock.now() },
        giveUpAt: clock.now() + 1_000,
      });
      await t.enqueue({
        channel: 'sms',
        recipient: '13800000000',
        template: 'refund_key_changed',
        params: { at: clock.now() },
      });
      await t.services.delivery.deliverDue(); // the e-mail fails (no server) and its next try would come too late
    } finally {
      await t.close();
    }
  });
  afterAll(async () => database?.drop());
  afterEach(() => {
    output.length = 0;
    vi.restoreAllMocks();
  });

  function capture(): void {
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void output.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void output.push(args.join(' ')));
  }

  it('prints counts per status and the oldest queued age', async () => {
    capture();
    expect(await runOutbox(['stats', '--json', '--database-url', database.url])).toBe(0);
    const stats = JSON.parse(output.join(''));
    expect(stats.counts).toMatchObject({ failed: 1, sent: 1, queued: 0 });
    expect(stats.oldest_queued_age_s).toBeNull();
  });

  it('queues a failed message again, and says so for an unknown id', async () => {
    capture();
    expect(await runOutbox(['retry', failedId, '--json', '--database-url', database.url])).toBe(0);
    expect(JSON.parse(output.join(''))).toMatchObject({ id: failedId, status: 'queued', attempts: 1 });
    output.length = 0;
    expect(await runOutbox(['retry', 'msg_unknown', '--database-url', database.url])).toBe(1);
    expect(output.join('')).toContain('MESSAGE_NOT_FOUND');
  });
});
