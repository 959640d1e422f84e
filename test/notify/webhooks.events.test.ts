import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, WITH_APPROVAL } from '../authorization/authz-helpers.js';
import { CARDS, card } from '../core/core-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { failUpdates } from '../support/db-faults.js';
import { StaffClient } from '../support/staff-client.js';
import { CASH, type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/** One webhook row of the outbox, as the merchant's system will receive it. */
interface Hook {
  event: string;
  id: unknown;
  status: unknown;
  at: number;
}

/** The receiver's recipe of webhook-signature.ts, with node:crypto only: HMAC-SHA256(secret, `${t}.${rawBody}`). */
function signatureVerifies(secret: string, header: string, rawBody: string, nowSeconds: number): boolean {
  const fields = new Map(header.split(',').map((part) => part.split('=') as [string, string]));
  const t = Number(fields.get('t'));
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(fields.get('v1') ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Issue 4 item 6: every state change the merchant's system cares about queues a webhook in the transaction that makes
// the change, carrying the public object; a refused request or a rolled-back transaction queues none.
describe.each(DIALECTS)('webhook events [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let pos: TerminalClient;
  let receiver: WebhookReceiver;
  let secret = '';
  const expected: Hook[] = [];

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    pos = m.terminal;
    ({ secret } = await t.services.webhooks.createEndpoint({ merchantId: m.demo.merchant_id, url: receiver.url() }));
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  /** The webhook rows of the outbox, oldest first (rows of one transaction share a time: ordered by event there). */
  async function hooks(): Promise<Hook[]> {
    const rows = await t.db.selectFrom('outbox').selectAll().where('channel', '=', 'webhook').execute();
    return rows
      .map((row) => {
        const body = JSON.parse(String(t.services.outbox.parameters(row).body)) as {
          type: string;
          data: { id?: unknown; status?: unknown };
        };
        expect(body.type).toBe(row.template);
        return { event: body.type, id: body.data.id, status: body.data.status, at: row.created_at };
      })
      .sort(byTimeThenEvent);
  }

  /** Note what a step should have queued, then move the clock so the next step's rows sort after these. */
  function queued(...events: Array<[string, unknown, unknown]>): void {
    for (const [event, id, status] of events) expected.push({ event, id, status, at: t.clock.now() });
    t.clock.advance(1_000);
  }

  it('sales, refunds and settlement queue exactly their events, in order, with the public object', async () => {
    const cash = await pos.sale(8_800, CASH(10_000));
    queued(['sale.succeeded', cash.id, 'succeeded']);
    const sale = await pos.sale(50_000, card(CARDS.visa));
    queued(['sale.succeeded', sale.id, 'succeeded']);

    // Reconciliation: a timed-out charge is announced once, when its outcome is recorded.
    const pending = await pos.post('/v1/sales', {
      amount: 7_700,
      currency: 'CNY',
      payment_method: card(CARDS.timeout),
    });
    expect(pending.status).toBe(202);
    t.clock.advance(6_000);
    expect(await t.services.sales.reconcilePending(5_000)).toBe(1);
    queued(['sale.succeeded', pending.body.id, 'succeeded']);
    expect((await pos.get(`/v1/sales/${pending.body.id}`)).body.status).toBe('succeeded');

    // Authorized with the refund key.
    const keyed = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1_000, reason: '顾客退货' });
    expect(keyed.status).toBe(201);
    queued(
      ['refund.created', keyed.body.id, 'requires_authorization'],
      ['refund.requires_authorization', keyed.body.id, 'requires_authorization'],
    );
    const authorized = await pos.post(`/v1/refunds/${keyed.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(authorized.body.status).toBe('succeeded');
    queued(['refund.succeeded', keyed.body.id, 'succeeded']);

    // Canceled at the terminal.
    const canceled = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 2_000, reason: 'x' });
    queued(
      ['refund.created', canceled.body.id, 'requires_authorization'],
      ['refund.requires_authorization', canceled.body.id, 'requires_authorization'],
    );
    expect((await pos.post(`/v1/refunds/${canceled.body.id}/cancel`)).body.status).toBe('canceled');
    queued(['refund.canceled', canceled.body.id, 'canceled']);

    // Expired by the worker after 15 minutes without activity.
    const expiring = await pos.post('/v1/refunds', { sale_id: cash.id, amount: 800, reason: 'x' });
    queued(
      ['refund.created', expiring.body.id, 'requires_authorization'],
      ['refund.requires_authorization', expiring.body.id, 'requires_authorization'],
    );
    t.clock.advance(16 * 60_000);
    expect((await t.services.refundLedger.expireDue()).map((r) => r.id)).toEqual([expiring.body.id]);
    queued(['refund.expired', expiring.body.id, 'expired']);

    // Refused: more than the sale has left. Nothing is queued.
    const beforeOver = await t.checksum();
    const over = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 50_000, reason: 'x' });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('REFUND_EXCEEDS_REFUNDABLE');
    expect(await t.changedSince(beforeOver)).toEqual([]);

    // Rolled back after the events were queued (the database refuses to store the idempotent answer, the last write of
    // the refund's transaction): nothing is queued.
    const fault = 'idempotent answer not stored (test fault)';
    const restore = await failUpdates(t, {
      table: 'idempotency_keys',
      column: 'key',
      value: 'fault-1',
      message: fault,
    });
    try {
      const failed = await pos.post(
        '/v1/refunds',
        { sale_id: sale.id, amount: 3_000, reason: 'x' },
        { idempotencyKey: 'fault-1' },
      );
      expect(failed.status).toBe(500);
      expect(t.logs.filter((line) => line.includes(fault))).toHaveLength(1);
    } finally {
      await restore();
    }
    expect(await t.db.selectFrom('refunds').select('id').where('amount', '=', 3_000).execute()).toEqual([]);

    const settled = await pos.post('/v1/settlements');
    expect(settled.status).toBe(201);
    queued(['settlement.closed', settled.body.id, 'closed']);

    expect(await hooks()).toEqual([...expected].sort(byTimeThenEvent));
  });

  // Order-independent: it delivers whatever webhook rows are queued when it starts (the previous test's, when it ran) plus
  // a sale and a settlement of its own, so that it never passes on an empty outbox.
  it('delivers them to a loopback receiver, each signed as documented', async () => {
    const sale = await pos.sale(1_200, CASH(2_000));
    const closed = await pos.post('/v1/settlements');
    expect(closed.status).toBe(201);
    const queuedNow = await hooks();
    expect(queuedNow.map((h) => h.id)).toEqual(expect.arrayContaining([sale.id, closed.body.id]));
    receiver.requests.length = 0;
    await t.services.delivery.deliverDue({ limit: 100 });
    expect(receiver.requests).toHaveLength(queuedNow.length);
    const now = Math.floor(t.clock.now() / 1000);
    const received = receiver.requests.map((hook) => {
      const header = String(hook.headers['refundkey-signature']);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(signatureVerifies(secret, header, hook.body, now)).toBe(true);
      expect(signatureVerifies('whsec_wrong', header, hook.body, now)).toBe(false);
      expect(signatureVerifies(secret, header, `${hook.body} `, now)).toBe(false);
      const event = JSON.parse(hook.body) as { id: string; type: string; data: { id: string } };
      expect(hook.headers['refundkey-event-id']).toBe(event.id);
      return `${event.type} ${event.data.id}`;
    });
    expect(received.sort()).toEqual(queuedNow.map((e) => `${e.event} ${String(e.id)}`).sort());
    const settlement = receiver.requests
      .map((r) => JSON.parse(r.body) as { type: string; data: { id?: unknown } })
      .find((e) => e.type === 'settlement.closed' && e.data.id === closed.body.id);
    expect(settlement?.data).toMatchObject({ status: 'closed', currency: 'CNY', totals: { sales: { count: 1 } } });
  });

  it('an approval denied in the back office announces the refund as canceled', async () => {
    const sale = await pos.sale(WITH_APPROVAL);
    t.clock.advance(1_000);
    const refund = (await pos.post('/v1/refunds', { sale_id: sale.id, amount: WITH_APPROVAL, reason: 'x' })).body;
    const entered = await pos.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(t, refund.id),
    });
    expect(entered.body.status).toBe('pending_approval');
    t.clock.advance(1_000);
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await owner.reauth();
    expect((await owner.post(`/v1/approvals/${refund.id}/deny`, { reason: '金额异常' })).body.status).toBe('canceled');
    const latest = (await hooks()).filter((h) => h.id === sale.id || h.id === refund.id);
    expect(latest.map((h) => [h.event, h.id, h.status])).toEqual([
      ['sale.succeeded', sale.id, 'succeeded'],
      ['refund.created', refund.id, 'requires_authorization'],
      ['refund.requires_authorization', refund.id, 'requires_authorization'],
      ['refund.canceled', refund.id, 'canceled'],
    ]);
  });
});

function byTimeThenEvent(a: Hook, b: Hook): number {
  return a.at - b.at || a.event.localeCompare(b.event);
}
