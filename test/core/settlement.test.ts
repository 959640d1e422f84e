import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_PLAN } from '../../src/modules/merchants/rate-plan.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';
import { CARDS, card, QR_CODES, qr, refundWithKey } from './core-helpers.js';

type Method = keyof typeof DEFAULT_RATE_PLAN;

/** The fee of one sale, computed here by hand: basis points of the amount, rounded half up to a fen, then capped. */
function fee(method: Method, amount: number): number {
  const { bps, cap } = DEFAULT_RATE_PLAN[method];
  const raw = Math.round((amount * bps) / 10_000);
  return cap === null ? raw : Math.min(raw, cap);
}

// Settlement (结算): counts and totals per method for sales, voids and refunds, fees from the rate plan, and net.
describe.each(DIALECTS)('settlement [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let pos: TerminalClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    pos = m.terminal;
  });
  afterAll(async () => t?.close());

  // Regression: on SQLite the fee division ran on REAL-bound rates and reported fractional fen (2135.07).
  it('totals and fees on a known set of transactions', async () => {
    // bank card: 10 000 (fee 60), 500 000 (3 000 → capped 2 000), 12 345 (74.07 → 74), 8 250 voided (no fee).
    await pos.sale(10_000, card(CARDS.visa));
    await pos.sale(500_000, card(CARDS.mastercard));
    const c3 = await pos.sale(12_345, card(CARDS.unionpayDebit));
    const voided = await pos.sale(8_250, card(CARDS.jcb));
    expect((await refundWithKey(m, pos, voided.id, 8_250, 'void')).authorized?.body.status).toBe('succeeded');
    const declined = await pos.post('/v1/sales', {
      amount: 3_000,
      currency: 'CNY',
      payment_method: card(CARDS.insufficientVisa),
    });
    expect([declined.status, declined.body.status]).toEqual([201, 'declined']); // declined: not counted
    expect((await refundWithKey(m, pos, c3.id, 2_345)).authorized?.body.status).toBe('succeeded');
    // QR: 20 000 (fee 76), 1 317 (5.0046 → 5); a 5 000 refund.
    const q1 = await pos.sale(20_000, qr('wechat', QR_CODES.wechat()));
    await pos.sale(1_317, qr('alipay', QR_CODES.alipay()));
    expect((await refundWithKey(m, pos, q1.id, 5_000)).authorized?.body.status).toBe('succeeded');
    // A refund started and canceled is not counted.
    const canceled = await pos.post('/v1/refunds', { sale_id: q1.id, amount: 1_000, reason: 'x' });
    expect((await pos.post(`/v1/refunds/${canceled.body.id}/cancel`)).status).toBe(200);
    // order: 30 000 (fee 90), 1 650 (4.95 → 5).
    await pos.sale(30_000, { type: 'order', order_no: 'ORD-1' });
    await pos.sale(1_650, { type: 'order', order_no: 'ORD-2' });
    // cash: 8 850 (no fee), refunded 850 in cash.
    const cash = await pos.sale(8_850, { type: 'cash', tendered: 10_000 });
    expect((await refundWithKey(m, pos, cash.id, 850)).authorized?.body.status).toBe('succeeded');
    // Another terminal's sale is in its own batch.
    await m.terminals[1]?.sale(99_999);

    const expected = {
      bank_card: {
        sales: { count: 4, amount: 10_000 + 500_000 + 12_345 + 8_250 },
        voids: { count: 1, amount: 8_250 },
        refunds: { count: 1, amount: 2_345 },
        fees: fee('bank_card', 10_000) + fee('bank_card', 500_000) + fee('bank_card', 12_345),
      },
      qr: {
        sales: { count: 2, amount: 21_317 },
        voids: { count: 0, amount: 0 },
        refunds: { count: 1, amount: 5_000 },
        fees: fee('qr', 20_000) + fee('qr', 1_317),
      },
      order: {
        sales: { count: 2, amount: 31_650 },
        voids: { count: 0, amount: 0 },
        refunds: { count: 0, amount: 0 },
        fees: fee('order', 30_000) + fee('order', 1_650),
      },
      cash: {
        sales: { count: 1, amount: 8_850 },
        voids: { count: 0, amount: 0 },
        refunds: { count: 1, amount: 850 },
        fees: fee('cash', 8_850),
      },
    };
    // The hand-computed fees, spelled out, so a change of the rate plan shows up here too.
    expect([expected.bank_card.fees, expected.qr.fees, expected.order.fees, expected.cash.fees]).toEqual([
      60 + 2_000 + 74,
      76 + 5,
      90 + 5,
      0,
    ]);

    const settled = await pos.post('/v1/settlements');
    expect(settled.status).toBe(201);
    const { body } = settled;
    expect(body).toMatchObject({ status: 'closed', currency: 'CNY', terminal_id: pos.id });
    for (const method of ['bank_card', 'qr', 'order', 'cash'] as const) {
      const line = body.by_method.find((l: { method: string }) => l.method === method);
      const e = expected[method];
      expect(line, method).toEqual({ method, ...e, net: e.sales.amount - e.voids.amount - e.refunds.amount - e.fees });
    }
    const lines = Object.values(expected);
    const sum = (pick: (l: (typeof lines)[number]) => number) => lines.reduce((n, l) => n + pick(l), 0);
    expect(body.totals).toEqual({
      sales: { count: 9, amount: sum((l) => l.sales.amount) },
      voids: { count: 1, amount: 8_250 },
      refunds: { count: 3, amount: 2_345 + 5_000 + 850 },
      fees: 2_134 + 81 + 95,
      net: sum((l) => l.sales.amount - l.voids.amount - l.refunds.amount - l.fees),
    });
    expect(body.totals.net).toBe(530_595 + 21_317 + 31_650 + 8_850 - 8_250 - 8_195 - 2_310);
  });

  it('the next batch starts empty; a refund of an old sale is booked in the batch where it happens', async () => {
    const sale = await pos.sale(40_000, card(CARDS.amex));
    const first = await pos.post('/v1/settlements');
    expect(first.body.totals.sales).toEqual({ count: 1, amount: 40_000 });
    // An empty batch closes only when asked for explicitly (issue 10: a second POST closed an empty batch).
    const before = await t.checksum();
    const refused = await pos.post('/v1/settlements');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('BATCH_EMPTY');
    expect(await t.changedSince(before)).toEqual([]);
    const empty = await pos.post('/v1/settlements', { allow_empty: true });
    expect(empty.status).toBe(201);
    expect(empty.body.id).not.toBe(first.body.id);
    expect(empty.body.totals).toEqual({
      sales: { count: 0, amount: 0 },
      voids: { count: 0, amount: 0 },
      refunds: { count: 0, amount: 0 },
      fees: 0,
      net: 0,
    });

    expect((await refundWithKey(m, pos, sale.id, 10_000)).authorized?.body.status).toBe('succeeded');
    const third = await pos.post('/v1/settlements');
    const card_ = third.body.by_method.find((l: { method: string }) => l.method === 'bank_card');
    expect(card_).toMatchObject({
      sales: { count: 0, amount: 0 },
      refunds: { count: 1, amount: 10_000 },
      fees: 0,
      net: -10_000,
    });
  });

  // Regression: a sale still pending when its batch closed later succeeded inside the closed batch, so no settlement counted it.
  it('a sale pending at settlement is counted in the batch that is open when it succeeds', async () => {
    const pending = await pos.post('/v1/sales', {
      amount: 6_000,
      currency: 'CNY',
      payment_method: qr('unionpay', QR_CODES.unionpay('9999')),
    });
    expect(pending.status).toBe(202);
    const closed = await pos.post('/v1/settlements', { allow_empty: true });
    expect(closed.body.totals.sales.count).toBe(0);
    t.clock.advance(10_000);
    const read = await pos.get(`/v1/sales/${pending.body.id}`);
    expect(read.body.status).toBe('succeeded');
    const next = await pos.post('/v1/settlements');
    const line = next.body.by_method.find((l: { method: string }) => l.method === 'qr');
    expect(line).toMatchObject({ sales: { count: 1, amount: 6_000 }, fees: fee('qr', 6_000) });
    // The sale now belongs to the batch that counted it, so it can no longer be voided.
    expect(read.body.batch_id).toBe(next.body.id);
  });
});

// Every sale taken while a settlement runs is counted by exactly one settlement, on both databases.
describe.each(DIALECTS)('settlement under concurrent sales [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  // Regression: a sale could join the open batch after the settlement had summed it but before it closed it.
  it('sales racing settlements are each counted once', async () => {
    const pos = m.terminal;
    const settlements: Promise<{ status: number; body: { totals: { sales: { count: number; amount: number } } } }>[] =
      [];
    const sales: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      sales.push(pos.sale(100 + i, { type: 'cash', tendered: 1_000 }));
      if (i % 8 === 4) settlements.push(pos.post('/v1/settlements', { allow_empty: true }));
    }
    await Promise.all(sales);
    const answers = await Promise.all(settlements);
    const last = await pos.post('/v1/settlements', { allow_empty: true });
    // Two settlements of one batch at once: one closes it, the other is told so (409), never a double count.
    expect(answers).toHaveLength(5);
    expect(Object.keys(tally(answers)).filter((k) => k !== '201' && k !== '409 SETTLEMENT_IN_PROGRESS')).toEqual([]);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    expect(last.status).toBe(201);
    const closed = [...answers, last].filter((a) => a.status === 201);
    const counted = closed.reduce((n, a) => n + a.body.totals.sales.count, 0);
    const amount = closed.reduce((n, a) => n + a.body.totals.sales.amount, 0);
    expect(counted).toBe(40);
    expect(amount).toBe(40 * 100 + (39 * 40) / 2);
  });
});
