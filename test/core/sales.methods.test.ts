import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { CARDS, card, QR_CODES, qr, saleRow } from './core-helpers.js';

// A sale for each payment method and card brand (issue 2, "Done when"), on both databases.
describe.each(DIALECTS)('sales by method [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it.each([
    ['UnionPay debit', CARDS.unionpayDebit, 'unionpay', 'debit'],
    ['UnionPay credit', CARDS.unionpayCredit, 'unionpay', 'credit'],
    ['Visa', CARDS.visa, 'visa', 'credit'],
    ['Mastercard', CARDS.mastercard, 'mastercard', 'credit'],
    ['JCB', CARDS.jcb, 'jcb', 'credit'],
    ['Amex', CARDS.amex, 'amex', 'credit'],
  ])('bank card %s: succeeded, masked, number never stored', async (_name, number, brand, funding) => {
    const answer = await m.terminal.post('/v1/sales', {
      amount: 12_345,
      currency: 'CNY',
      payment_method: card(number),
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      status: 'succeeded',
      amount: 12_345,
      currency: 'CNY',
      refunded_amount: 0,
      refundable_amount: 12_345,
    });
    expect(answer.body.payment_method.card).toMatchObject({
      brand,
      funding,
      first6: number.slice(0, 6),
      last4: number.slice(-4),
    });
    expect(answer.body.payment_method.card.masked).toBe(
      `${number.slice(0, 6)}${'*'.repeat(number.length - 10)}${number.slice(-4)}`,
    );
    expect(answer.body.batch_id).toMatch(/^bat_/);
    expect(answer.body.id).toMatch(/^sal_/);
    const row = await saleRow(t, answer.body.id);
    expect(JSON.stringify(row)).not.toContain(number);
    expect(row.card_fingerprint).toMatch(/\S{16,}/);
  });

  it('the same card gives the same keyed fingerprint, another card a different one', async () => {
    const a = await m.terminal.sale(100, card(CARDS.visa));
    const b = await m.terminal.sale(200, card(CARDS.visa, '11/29', 'contactless'));
    const c = await m.terminal.sale(300, card(CARDS.mastercard));
    const [ra, rb, rc] = await Promise.all([saleRow(t, a.id), saleRow(t, b.id), saleRow(t, c.id)]);
    expect(ra.card_fingerprint).toBe(rb.card_fingerprint);
    expect(ra.card_fingerprint).not.toBe(rc.card_fingerprint);
  });

  it.each(['wechat', 'alipay', 'unionpay'] as const)('QR %s payment code: succeeded, code masked', async (wallet) => {
    const code = QR_CODES[wallet]();
    const answer = await m.terminal.post('/v1/sales', {
      amount: 3_600,
      currency: 'CNY',
      payment_method: qr(wallet, code),
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'succeeded', amount: 3_600, payment_method: { type: 'qr', wallet } });
    expect(answer.body.payment_method.auth_code_masked).not.toBe(code);
    expect(answer.body.payment_method.auth_code_masked.slice(-4)).toBe(code.slice(-4));
    expect(JSON.stringify(await saleRow(t, answer.body.id))).not.toContain(code);
  });

  it('order payment', async () => {
    const answer = await m.terminal.post('/v1/sales', {
      amount: 9_900,
      currency: 'CNY',
      payment_method: { type: 'order', order_no: 'ORD-2026_0001' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      status: 'succeeded',
      amount: 9_900,
      payment_method: { type: 'order', order_no: 'ORD-2026_0001' },
    });
  });

  it('cash with change, and exact cash without change', async () => {
    const withChange = await m.terminal.post('/v1/sales', {
      amount: 8_850,
      currency: 'CNY',
      payment_method: { type: 'cash', tendered: 10_000 },
    });
    expect(withChange.status).toBe(201);
    expect(withChange.body).toMatchObject({
      status: 'succeeded',
      amount: 8_850,
      payment_method: { type: 'cash', tendered: 10_000, change: 1_150 },
    });
    const exact = await m.terminal.post('/v1/sales', {
      amount: 500,
      currency: 'CNY',
      payment_method: { type: 'cash', tendered: 500 },
    });
    expect(exact.body.payment_method).toEqual({ type: 'cash', tendered: 500, change: 0 });
    // Cash never reaches the acquirer.
    const ops = await t.db
      .selectFrom('acquirer_sandbox_ops')
      .select('reference')
      .where('reference', 'in', [withChange.body.id, exact.body.id])
      .execute();
    expect(ops).toHaveLength(0);
  });

  it('GET /v1/sales/:id answers the stored sale with its (empty) refunds', async () => {
    const sale = await m.terminal.sale(4_321, qr('alipay', QR_CODES.alipay()));
    const read = await m.terminal.get(`/v1/sales/${sale.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ ...sale, refunds: [] });
  });

  it('sales of one terminal share its open batch; another terminal has its own', async () => {
    const [first, second] = m.terminals;
    if (!first || !second) throw new Error('demo has two terminals');
    const a = await first.sale(100);
    const b = await first.sale(200, { type: 'cash', tendered: 200 });
    const c = await second.sale(300);
    expect(a.batch_id).toBe(b.batch_id);
    expect(c.batch_id).not.toBe(a.batch_id);
  });
});
