import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { NotifyApp } from './support/notify-app.js';
import { SmtpSink } from './support/smtp-sink.js';

const COUNT = 1_000;

// Issue 4: several instances share the outbox (FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional UPDATE claim on
// SQLite): 1,000 queued messages delivered by two instances at once arrive exactly once each.
describe.each(DIALECTS)('two instances deliver one outbox [%s]', (dialect) => {
  let database: TestDatabase;
  let smtp: SmtpSink;
  let apps: NotifyApp[] = [];
  const clock = new ManualClock();

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    smtp = new SmtpSink();
    await smtp.start();
    const env = { SMTP_URL: smtp.url, SMTP_SECURE: 'none' };
    apps = [await NotifyApp.start(database.url, clock, env), await NotifyApp.start(database.url, clock, env)];
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await smtp?.stop();
    await database?.drop();
  });

  it(`delivers ${COUNT} messages, none lost, none duplicated`, async () => {
    const [a, b] = apps;
    if (!a || !b) throw new Error('apps not started');
    const ids: string[] = [];
    for (let batch = 0; batch < COUNT / 100; batch++) {
      await a.services.database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 100; i++) {
          const n = batch * 100 + i;
          ids.push(
            await a.services.outbox.enqueue(trx, {
              channel: 'email',
              recipient: `m${n}@example.com`,
              template: 'refund_key_changed',
              params: { at: clock.now() },
            }),
          );
        }
      });
    }

    const counts = await Promise.all(
      [a, b].map(async (app) => {
        let sent = 0;
        for (;;) {
          const report = await app.services.delivery.deliverDue({ limit: 25 });
          sent += report.sent;
          expect(report.retried + report.failed).toBe(0);
          if (report.claimed === 0) return sent;
        }
      }),
    );

    expect((counts[0] ?? 0) + (counts[1] ?? 0)).toBe(COUNT);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0); // both instances took part
    const received = smtp.mails.map((m) => m.refundkeyId);
    expect(received).toHaveLength(COUNT);
    expect(new Set(received).size).toBe(COUNT);
    expect(new Set(received)).toEqual(new Set(ids));
    const stats = await a.services.outbox.stats();
    expect(stats.counts).toMatchObject({ sent: COUNT, queued: 0, sending: 0, failed: 0 });
    expect(stats.oldest_queued_age_s).toBeNull();
    // Issue 10 point 14: both delivering instances describe themselves; stopping one removes it.
    expect((await a.services.outbox.servers()).map((s) => s.transports.email)).toEqual(['smtp', 'smtp']);
    await b.close();
    apps = [a];
    expect(await a.services.outbox.servers()).toHaveLength(1);
  });
});
