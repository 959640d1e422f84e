import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { verifyWebhook } from '../../src/modules/webhooks/webhook-signature.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { NotifyApp } from './support/notify-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/** The receiver's recipe from the README, written out with node:crypto only (not our own helper). */
function verifyLikeAReceiver(secret: string, header: string, rawBody: string, nowSeconds: number): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(parts.t);
  if (Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Issue 4 "Webhooks": signed with Refundkey-Signature, delivered through the outbox with retries, logged per endpoint.
describe.each(DIALECTS)('webhooks [%s]', (dialect) => {
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let t: NotifyApp;
  const clock = new ManualClock();
  const merchantId = 'mch_hooks';

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await NotifyApp.start(database.url, clock, { WEBHOOK_MAX_ATTEMPTS: '3' });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
    await database?.drop();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.statuses = [];
    receiver.fallback = 200;
  });

  const emit = (
    merchant: string,
    event: Parameters<typeof t.services.webhooks.emit>[2],
    data: Record<string, unknown> & { id: string },
  ) => t.services.database.db.transaction().execute((trx) => t.services.webhooks.emit(trx, merchant, event, data));

  it('delivers a signed event whose signature verifies with the documented recipe', async () => {
    const { endpoint, secret } = await t.services.webhooks.createEndpoint({
      merchantId,
      url: receiver.url('/a'),
      events: ['refund.succeeded'],
    });
    expect(secret).toMatch(/^whsec_/);
    const stored = await t.services.database.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(secret);

    const [id] = await emit(merchantId, 'refund.succeeded', { id: 'ref_1', amount: 2500, currency: 'CNY' });
    expect(await emit(merchantId, 'sale.succeeded', { id: 'sal_1' })).toEqual([]); // not subscribed
    await t.services.delivery.deliverDue();

    expect(receiver.requests).toHaveLength(1);
    const hook = receiver.requests[0];
    const header = String(hook?.headers['refundkey-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const now = Math.floor(clock.now() / 1000);
    expect(verifyLikeAReceiver(secret, header, hook?.body ?? '', now)).toBe(true);
    expect(verifyWebhook(secret, header, hook?.body ?? '', now)).toBe(true);
    expect(verifyLikeAReceiver('whsec_wrong', header, hook?.body ?? '', now)).toBe(false);
    expect(verifyLikeAReceiver(secret, header, `${hook?.body} `, now)).toBe(false);
    expect(verifyWebhook(secret, header, hook?.body ?? '', now + 600)).toBe(false); // replayed too late

    const event = JSON.parse(hook?.body ?? '{}');
    expect(event).toMatchObject({
      type: 'refund.succeeded',
      data: { id: 'ref_1', amount: 2500, currency: 'CNY' },
      livemode: false,
    });
    expect(hook?.headers['refundkey-event-id']).toBe(event.id);
    expect(hook?.headers['refundkey-delivery-id']).toBe(id);
    expect(await t.row(id ?? '')).toMatchObject({ status: 'sent', attempts: 1 });
    const log = await t.services.webhooks.deliveries(merchantId, endpoint.id);
    expect(log).toMatchObject([{ outbox_id: id, event: 'refund.succeeded', attempt: 1, status_code: 200, ok: true }]);
  });

  it('retries a 500 with the same body and event id, and logs both attempts', async () => {
    const { endpoint } = await t.services.webhooks.createEndpoint({ merchantId: 'mch_retry', url: receiver.url('/b') });
    receiver.statuses = [500];
    const [id] = await emit('mch_retry', 'refund.created', { id: 'ref_2' });
    expect(await t.services.delivery.deliverDue()).toMatchObject({ retried: 1 });
    expect(await t.row(id ?? '')).toMatchObject({ status: 'queued', attempts: 1, last_error: 'HTTP 500' });

    clock.advance(5_000);
    expect(await t.services.delivery.deliverDue()).toMatchObject({ sent: 1 });
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]?.body).toBe(receiver.requests[0]?.body);
    expect(receiver.requests[1]?.headers['refundkey-event-id']).toBe(
      receiver.requests[0]?.headers['refundkey-event-id'],
    );
    const log = await t.services.webhooks.deliveries('mch_retry', endpoint.id);
    expect(log.map((d) => [d.attempt, d.status_code, d.ok])).toEqual([
      [2, 200, true],
      [1, 500, false],
    ]);
  });

  it('marks the delivery failed after WEBHOOK_MAX_ATTEMPTS', async () => {
    const { endpoint } = await t.services.webhooks.createEndpoint({ merchantId: 'mch_fail', url: receiver.url('/c') });
    receiver.fallback = 500;
    const [id] = await emit('mch_fail', 'settlement.closed', { id: 'bat_1' });
    for (let i = 0; i < 10; i++) {
      await t.services.delivery.deliverDue();
      clock.advance(60_000);
    }
    expect(await t.row(id ?? '')).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP 500' });
    expect(receiver.requests).toHaveLength(3);
    expect((await t.services.webhooks.deliveries('mch_fail', endpoint.id)).map((d) => d.ok)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('queues nothing when the emitting transaction rolls back, and nothing for other merchants or disabled endpoints', async () => {
    const { endpoint } = await t.services.webhooks.createEndpoint({ merchantId: 'mch_rb', url: receiver.url('/d') });
    await expect(
      t.services.database.db.transaction().execute(async (trx) => {
        await t.services.webhooks.emit(trx, 'mch_rb', 'refund.canceled', { id: 'ref_3' });
        throw new Error('the refund failed');
      }),
    ).rejects.toThrow('the refund failed');
    expect(await emit('mch_other', 'refund.canceled', { id: 'ref_3' })).toEqual([]);
    await t.services.webhooks.disableEndpoint('mch_rb', endpoint.id);
    expect(await emit('mch_rb', 'refund.canceled', { id: 'ref_3' })).toEqual([]);
    await t.services.delivery.deliverDue();
    expect(receiver.requests).toHaveLength(0);
    await expect(t.services.webhooks.deliveries('mch_other', endpoint.id)).rejects.toMatchObject({
      code: 'WEBHOOK_ENDPOINT_NOT_FOUND',
    });
  });

  it('refuses unknown events and non-http URLs', async () => {
    await expect(
      t.services.webhooks.createEndpoint({ merchantId, url: receiver.url(), events: ['refund.exploded'] }),
    ).rejects.toMatchObject({
      code: 'WEBHOOK_EVENT_UNKNOWN',
    });
    await expect(t.services.webhooks.createEndpoint({ merchantId, url: 'ftp://example.com/x' })).rejects.toMatchObject({
      code: 'WEBHOOK_URL_INVALID',
    });
  });
});
