import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { CARDS, card, QR_CODES, qr, sandboxOps } from './core-helpers.js';

// An acquirer timeout leaves the sale pending; it reconciles and is never charged twice (issue 2, item 4).
describe.each(DIALECTS)('sale timeout and reconciliation [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  const timeoutSale = { amount: 7_700, currency: 'CNY', payment_method: card(CARDS.timeout) };

  it('timeout card: 202 pending, GET reconciles to succeeded, replays never charge again', async () => {
    const first = await m.terminal.post('/v1/sales', timeoutSale, { idempotencyKey: 'timeout-1' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'pending', amount: 7_700, refundable_amount: 0 });
    expect(t.logs.some((line) => line.includes('acquirer timeout') && line.includes(first.body.id))).toBe(true);

    t.clock.advance(6_000);
    const read = await m.terminal.get(`/v1/sales/${first.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: first.body.id, status: 'succeeded', refundable_amount: 7_700 });

    const replay = await m.terminal.post('/v1/sales', timeoutSale, { idempotencyKey: 'timeout-1' });
    expect(replay.status).toBe(201);
    const { refunds: _refunds, ...readSale } = read.body;
    expect(replay.body).toEqual(readSale);
    const again = await m.terminal.post('/v1/sales', timeoutSale, { idempotencyKey: 'timeout-1' });
    expect(again).toMatchObject({ status: 201, body: replay.body });

    expect(await sandboxOps(t, first.body.id)).toBe(1);
    const sales = await t.db.selectFrom('sales').select('id').where('amount', '=', 7_700).execute();
    expect(sales).toHaveLength(1);
  });

  it('a replay before anyone reads the sale reconciles it too, still one charge', async () => {
    const first = await m.terminal.post(
      '/v1/sales',
      { ...timeoutSale, amount: 7_701 },
      { idempotencyKey: 'timeout-2' },
    );
    expect(first.status).toBe(202);
    const replay = await m.terminal.post(
      '/v1/sales',
      { ...timeoutSale, amount: 7_701 },
      { idempotencyKey: 'timeout-2' },
    );
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ id: first.body.id, status: 'succeeded' });
    expect(await sandboxOps(t, first.body.id)).toBe(1);
  });

  it('the reconcile worker settles pending sales older than its threshold', async () => {
    const pending = await m.terminal.post('/v1/sales', { ...timeoutSale, amount: 7_702 });
    expect(pending.status).toBe(202);
    expect(await t.services.sales.reconcilePending(5_000)).toBe(0);
    t.clock.advance(5_001);
    expect(await t.services.sales.reconcilePending(5_000)).toBeGreaterThanOrEqual(1);
    const row = await t.db
      .selectFrom('sales')
      .select('status')
      .where('id', '=', pending.body.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('succeeded');
    expect(await sandboxOps(t, pending.body.id)).toBe(1);
  });

  it('"user still paying" QR (…9999) stays pending until 10 s of clock time, then succeeds', async () => {
    const body = { amount: 2_500, currency: 'CNY', payment_method: qr('wechat', QR_CODES.wechat('9999')) };
    const first = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'paying-1' });
    expect(first.status).toBe(202);
    expect(first.body.status).toBe('pending');

    t.clock.advance(9_999);
    expect((await m.terminal.get(`/v1/sales/${first.body.id}`)).body.status).toBe('pending');
    const early = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'paying-1' });
    expect(early.status).toBe(202);

    t.clock.advance(1);
    const read = await m.terminal.get(`/v1/sales/${first.body.id}`);
    expect(read.body).toMatchObject({ status: 'succeeded', refundable_amount: 2_500 });
    const replay = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'paying-1' });
    expect(replay.status).toBe(201);
    expect(replay.body.status).toBe('succeeded');
    expect(await sandboxOps(t, first.body.id)).toBe(1);
  });

  it('a pending sale cannot be refunded until it has succeeded', async () => {
    const body = { amount: 2_600, currency: 'CNY', payment_method: qr('alipay', QR_CODES.alipay('9999')) };
    const pending = await m.terminal.post('/v1/sales', body);
    expect(pending.status).toBe(202);
    const refused = await m.terminal.post('/v1/refunds', { sale_id: pending.body.id, amount: 100, reason: 'x' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('SALE_NOT_REFUNDABLE');
  });
});
