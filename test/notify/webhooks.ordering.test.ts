// Issue 10, 18: webhook deliveries are not guaranteed to arrive in order (a retried event overtakes nothing, a later
// one may arrive first), so every event carries `sequence`, counted per object (`data.id`) in the transaction that
// emits it: a receiver orders the events of one object by it, and ignores one older than what it already applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { CARD_OK, CASH, type SeededMerchant, TestApp } from '../support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

interface Delivered {
  id: string;
  type: string;
  created_at: string;
  sequence: number;
  data: { id: string; status?: string };
}

describe.each(DIALECTS)('webhook ordering [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    await t.services.webhooks.createEndpoint({ merchantId: m.demo.merchant_id, url: receiver.url() });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  /** Deliver what is queued, through the real transport, and read what the receiver got. */
  async function delivered(): Promise<Delivered[]> {
    await t.services.delivery.deliverDue();
    return receiver.requests.map((r) => JSON.parse(r.body) as Delivered);
  }

  it('numbers the events of each object 1, 2, 3 … in the order they happened; a receiver reorders by it', async () => {
    const sale = await m.terminal.sale(30_000, CARD_OK);
    const refund = await m.terminal.post('/v1/refunds', { sale_id: sale.id, amount: 1_000, reason: '顾客退货' });
    t.clock.advance(1_000);
    const done = await m.terminal.post(`/v1/refunds/${refund.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(done.body.status).toBe('succeeded');
    const other = await m.terminal.post('/v1/refunds', { sale_id: sale.id, amount: 2_000, reason: 'x' });
    await m.terminal.post(`/v1/refunds/${other.body.id}/cancel`);

    const events = await delivered();
    const about = (id: string) => events.filter((e) => e.data.id === id);
    expect(about(sale.id).map((e) => [e.type, e.sequence])).toEqual([['sale.succeeded', 1]]);
    const ofRefund = about(refund.body.id).sort((a, b) => a.sequence - b.sequence);
    expect(ofRefund.map((e) => [e.type, e.sequence])).toEqual([
      ['refund.created', 1],
      ['refund.requires_authorization', 2],
      ['refund.succeeded', 3],
    ]);
    expect(ofRefund.map((e) => e.created_at)).toEqual([...ofRefund.map((e) => e.created_at)].sort());
    expect(
      about(other.body.id)
        .map((e) => e.sequence)
        .sort(),
    ).toEqual([1, 2, 3]);

    // What a receiver does with deliveries that arrive in any order: keep the highest sequence per object.
    const latest = new Map<string, Delivered>();
    for (const event of [...events].reverse()) {
      const known = latest.get(event.data.id);
      if (!known || event.sequence > known.sequence) latest.set(event.data.id, event);
    }
    expect(latest.get(refund.body.id)?.data.status).toBe('succeeded');
    expect(latest.get(other.body.id)?.data.status).toBe('canceled');
  });

  it('concurrent transactions about one object never share a sequence, and another object counts from 1', async () => {
    const { db } = t.services.database;
    const emit = (id: string) =>
      db.transaction().execute((trx) => t.services.webhooks.emit(trx, m.demo.merchant_id, 'refund.created', { id }));
    await Promise.all(Array.from({ length: 6 }, () => emit('ref_concurrent')));
    await emit('ref_alone');
    const rows = await db.selectFrom('webhook_sequences').selectAll().where('object_id', 'like', 'ref_%').execute();
    expect(Object.fromEntries(rows.map((r) => [r.object_id, Number(r.seq)]))).toMatchObject({
      ref_concurrent: 6,
      ref_alone: 1,
    });
    receiver.requests.length = 0;
    const events = await delivered();
    expect(
      events
        .filter((e) => e.data.id === 'ref_concurrent')
        .map((e) => e.sequence)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a cash sale and a settlement carry their own sequence', async () => {
    receiver.requests.length = 0;
    const cash = await m.terminal.sale(500, CASH(1_000));
    const settlement = await m.terminal.post('/v1/settlements', {});
    expect(settlement.status).toBe(201);
    const events = await delivered();
    expect(events.find((e) => e.data.id === cash.id)).toMatchObject({ type: 'sale.succeeded', sequence: 1 });
    expect(events.find((e) => e.data.id === settlement.body.id)).toMatchObject({
      type: 'settlement.closed',
      sequence: 1,
    });
  });
});
