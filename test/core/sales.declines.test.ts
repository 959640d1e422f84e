import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { CARDS, card, QR_CODES, qr, sandboxOps } from './core-helpers.js';

// Each documented sandbox decline (README "Test cards and codes") and each refusal before the acquirer, on both databases.
describe.each(DIALECTS)('sale declines [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it.each([
    ['Visa insufficient funds', card(CARDS.insufficientVisa), 'insufficient_funds'],
    ['UnionPay insufficient funds', card(CARDS.insufficientUnionpay), 'insufficient_funds'],
    ['do not honor', card(CARDS.doNotHonor), 'do_not_honor'],
    ['expired card (issuer says so)', card(CARDS.expiredCard), 'expired_card'],
    ['WeChat code ending 0051', qr('wechat', QR_CODES.wechat('0051')), 'insufficient_funds'],
    ['Alipay code ending 0005', qr('alipay', QR_CODES.alipay('0005')), 'do_not_honor'],
    ['UnionPay QR ending 0051', qr('unionpay', QR_CODES.unionpay('0051')), 'insufficient_funds'],
    ['order DECLINE…', { type: 'order', order_no: 'DECLINE-42' }, 'order_not_payable'],
  ])('%s → declined with its code, nothing refundable', async (_name, method, code) => {
    const answer = await m.terminal.post('/v1/sales', { amount: 5_000, currency: 'CNY', payment_method: method });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'declined', decline_code: code, amount: 5_000, refundable_amount: 0 });
    expect(await sandboxOps(t, answer.body.id)).toBe(1);
    const read = await m.terminal.get(`/v1/sales/${answer.body.id}`);
    expect(read.body).toMatchObject({ status: 'declined', decline_code: code });
    // A declined sale cannot be refunded.
    const before = await t.checksum();
    const refund = await m.terminal.post('/v1/refunds', { sale_id: answer.body.id, amount: 1, reason: 'x' });
    expect(refund.status).toBe(422);
    expect(refund.body.error.code).toBe('SALE_NOT_REFUNDABLE');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it.each([
    ['Luhn failure', card('6222020000000008'), 'CARD_NUMBER_INVALID', 'payment_method.card.number'],
    ['expiry in the past', card(CARDS.visa, '10/26'), 'CARD_EXPIRED', 'payment_method.card.expiry'],
    ['expiry month 13', card(CARDS.visa, '13/30'), 'CARD_EXPIRED', 'payment_method.card.expiry'],
    [
      'unsupported brand (Discover 6011)',
      card('6011111111111117'),
      'CARD_BRAND_UNSUPPORTED',
      'payment_method.card.number',
    ],
    [
      'WeChat wallet with an Alipay code',
      qr('wechat', QR_CODES.alipay()),
      'AUTH_CODE_INVALID',
      'payment_method.auth_code',
    ],
    [
      'Alipay wallet with a WeChat code',
      qr('alipay', QR_CODES.wechat()),
      'AUTH_CODE_INVALID',
      'payment_method.auth_code',
    ],
    [
      'UnionPay wallet with a WeChat code',
      qr('unionpay', QR_CODES.wechat()),
      'AUTH_CODE_INVALID',
      'payment_method.auth_code',
    ],
    [
      'cash tendered below the amount',
      { type: 'cash', tendered: 4_999 },
      'CASH_TENDERED_TOO_LOW',
      'payment_method.tendered',
    ],
  ])('%s → 400 with a code, nothing written', async (_name, method, code, param) => {
    const before = await t.checksum();
    const answer = await m.terminal.post('/v1/sales', { amount: 5_000, currency: 'CNY', payment_method: method });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code, param });
    // Chinese by default, and only Chinese (issue 10, 15: one language per answer).
    expect(answer.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(answer.body.error.message).not.toMatch(/ \/ [A-Za-z]/);
    expect(await t.changedSince(before)).toEqual([]);
  });
});

describe.each(DIALECTS)('card expiry boundary [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect, { clock: new ManualClock(Date.parse('2026-11-30T23:00:00Z')) });
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('a card expires after the last day of its month (UTC), not before', async () => {
    t.clock.set(Date.parse('2026-11-30T23:59:59.999Z'));
    const ok = await m.terminal.post('/v1/sales', {
      amount: 100,
      currency: 'CNY',
      payment_method: card(CARDS.visa, '11/26'),
    });
    expect(ok.body.status).toBe('succeeded');
    t.clock.set(Date.parse('2026-12-01T00:00:00Z'));
    const before = await t.checksum();
    const expired = await m.terminal.post('/v1/sales', {
      amount: 100,
      currency: 'CNY',
      payment_method: card(CARDS.visa, '11/26'),
    });
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('CARD_EXPIRED');
    expect(await t.changedSince(before)).toEqual([]);
  });
});
