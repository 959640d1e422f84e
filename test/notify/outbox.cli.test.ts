import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runOutbox } from '../../src/cli/outbox.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { type DeadPort, deadPort } from '../support/ports.js';
import { NotifyApp } from './support/notify-app.js';
import { FakeSmsc } from './support/smsc.js';

// Issue 4 "Operations": `refundkey outbox stats` and `refundkey outbox retry <id>` on the same database as the server.
// Issue 10 point 14: stats describes the transports of the server that delivers, not the CLI's own environment.
describe.each(DIALECTS)('refundkey outbox CLI [%s]', (dialect) => {
  let database: TestDatabase;
  let failedId: string;
  let server: NotifyApp | undefined;
  let smsc: FakeSmsc;
  let smtpDown: DeadPort;
  const output: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    smsc = new FakeSmsc();
    await smsc.start();
    const clock = new ManualClock(Date.now());
    // The server has an SMTP server (down) and an SMSC configured; the CLI below runs with neither in its environment.
    smtpDown = await deadPort();
    server = await NotifyApp.start(database.url, clock, {
      SMTP_URL: `smtp://127.0.0.1:${smtpDown.port}`,
      SMTP_SECURE: 'none',
      SMPP_URL: smsc.url,
    });
    failedId = await server.enqueue({
      channel: 'email',
      recipient: 'ops@example.com',
      template: 'refund_key_changed',
      params: { at: clock.now() },
      giveUpAt: clock.now() + 1_000,
    });
    await server.enqueue({
      channel: 'sms',
      recipient: '13800000000',
      template: 'refund_key_changed',
      params: { at: clock.now() },
    });
    await server.services.delivery.deliverDue(); // the e-mail fails (no server) and waits until its give-up time
    clock.advance(1_000);
    await server.services.delivery.deliverDue(); // ... where it fails
  });
  afterAll(async () => {
    await server?.close();
    await smsc?.stop();
    await smtpDown?.close();
    await database?.drop();
  });
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

  it('prints counts per status, the oldest queued age, and the transports the server reported', async () => {
    expect(process.env.SMTP_URL ?? process.env.SMPP_URL).toBeUndefined(); // the CLI's own environment has neither
    capture();
    expect(await runOutbox(['stats', '--json', '--database-url', database.url])).toBe(0);
    const stats = JSON.parse(output.join(''));
    expect(stats.counts).toMatchObject({ failed: 1, sent: 1, queued: 0 });
    expect(stats.oldest_queued_age_s).toBeNull();
    expect(stats.transports).toEqual({ email: 'smtp', sms: 'smpp', webhook: 'webhook' });
    expect(stats.servers).toHaveLength(1);
    expect(stats.servers[0]).toMatchObject({ pid: process.pid, transports: stats.transports });

    output.length = 0;
    expect(await runOutbox(['stats', '--database-url', database.url])).toBe(0);
    expect(output.join('\n')).toMatch(/server .+ pid \d+ \(seen \d+ s ago\): email=smtp sms=smpp webhook=webhook/);
  });

  it('queues a failed message again, and says so for an unknown id', async () => {
    capture();
    expect(await runOutbox(['retry', failedId, '--json', '--database-url', database.url])).toBe(0);
    expect(JSON.parse(output.join(''))).toMatchObject({ id: failedId, status: 'queued', attempts: 1 });
    output.length = 0;
    expect(await runOutbox(['retry', 'msg_unknown', '--database-url', database.url])).toBe(1);
    expect(output.join('')).toContain('MESSAGE_NOT_FOUND');
  });

  it('says that no server is delivering once the server stopped', async () => {
    await server?.close();
    server = undefined;
    capture();
    expect(await runOutbox(['stats', '--json', '--database-url', database.url])).toBe(0);
    expect(JSON.parse(output.join(''))).toMatchObject({ transports: null, servers: [] });
    output.length = 0;
    expect(await runOutbox(['stats', '--database-url', database.url])).toBe(0);
    expect(output.join('\n')).toContain('none in the last 10 minutes');
  });
});
