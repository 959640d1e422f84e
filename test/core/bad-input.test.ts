import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { CARD_OK, type SeededMerchant, TestApp } from '../support/test-app.js';

// Bad bodies → 400 with a code, and nothing written (docs/api.md: "A refused request changes nothing").
describe.each(DIALECTS)('bad input [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let saleId: string;
  let refundId: string;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    saleId = (await m.terminal.sale(10_000)).id;
    refundId = (await m.terminal.post('/v1/refunds', { sale_id: saleId, amount: 100, reason: 'waiting' })).body.id;
  });
  afterAll(async () => t?.close());

  async function expect400(
    send: () => Promise<{ status: number; body: { error?: { code?: string; message?: string } } }>,
    code = 'VALIDATION_FAILED',
  ) {
    const before = await t.checksum();
    const answer = await send();
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toMatch(/^[A-Z][A-Z_]+$/);
    expect(answer.body.error?.code).toBe(code);
    expect(answer.body.error?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await t.changedSince(before)).toEqual([]);
    return answer;
  }

  const sale = (over: Record<string, unknown>) => ({
    amount: 1_000,
    currency: 'CNY',
    payment_method: CARD_OK,
    ...over,
  });

  it.each([
    ['amount as a string', sale({ amount: '1000' })],
    ['amount as a boolean', sale({ amount: true })],
    ['amount null', sale({ amount: null })],
    ['amount missing', { currency: 'CNY', payment_method: CARD_OK }],
    ['amount zero', sale({ amount: 0 })],
    ['amount negative', sale({ amount: -100 })],
    ['amount fractional', sale({ amount: 10.5 })],
    ['amount 10^11 + 1', sale({ amount: 100_000_000_001 })],
    ['amount 1e21', sale({ amount: 1e21 })],
    ['currency USD', sale({ currency: 'USD' })],
    ['currency lower case', sale({ currency: 'cny' })],
    ['currency missing', { amount: 1_000, payment_method: CARD_OK }],
    ['unknown top-level field', sale({ tip: 100 })],
    [
      'unknown card field (cvv)',
      sale({ payment_method: { type: 'bank_card', card: { ...CARD_OK.card, cvv: '123' } } }),
    ],
    ['unknown payment type', sale({ payment_method: { type: 'crypto', wallet: 'btc' } })],
    ['payment method missing', { amount: 1_000, currency: 'CNY' }],
    [
      'card number with letters',
      sale({ payment_method: { type: 'bank_card', card: { ...CARD_OK.card, number: '6222O20000000007' } } }),
    ],
    ['expiry not MM/YY', sale({ payment_method: { type: 'bank_card', card: { ...CARD_OK.card, expiry: '2030-12' } } })],
    [
      'entry mode unknown',
      sale({ payment_method: { type: 'bank_card', card: { ...CARD_OK.card, entry_mode: 'telepathy' } } }),
    ],
    ['QR wallet unknown', sale({ payment_method: { type: 'qr', wallet: 'paypal', auth_code: '1345678901234567890' } })],
    ['QR auth code too short', sale({ payment_method: { type: 'qr', wallet: 'wechat', auth_code: '1345' } })],
    ['order_no with spaces', sale({ payment_method: { type: 'order', order_no: 'ORD 1' } })],
    ['cash tendered fractional', sale({ payment_method: { type: 'cash', tendered: 1_000.5 } })],
    ['cash tendered over 10^11', sale({ amount: 1, payment_method: { type: 'cash', tendered: 100_000_000_001 } })],
    ['body is an array', [sale({})]],
    ['body is null', null],
    ['body is a string', 'sale', 'INVALID_JSON'],
  ])('POST /v1/sales: %s → 400', async (_name, body, code?: string) => {
    await expect400(() => m.terminal.post('/v1/sales', body), code);
  });

  it('POST /v1/sales: broken JSON → 400 INVALID_JSON', async () => {
    await expect400(() => m.terminal.post('/v1/sales', '{"amount": 1000, "currency": "CNY",'), 'INVALID_JSON');
  });

  it('POST /v1/sales: a __proto__ key → 400, nothing written', async () => {
    const body = `{"amount":1000,"currency":"CNY","payment_method":{"type":"cash","tendered":1000},"__proto__":{"admin":true}}`;
    await expect400(() => m.terminal.post('/v1/sales', body), 'INVALID_JSON');
  });

  it('a body over 64 KiB → 413 BODY_TOO_LARGE, nothing written', async () => {
    const before = await t.checksum();
    const answer = await m.terminal.post('/v1/sales', { ...sale({}), note: 'x'.repeat(70 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('BODY_TOO_LARGE');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('POST /v1/sales: missing or over-long Idempotency-Key → 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    await expect400(() => m.terminal.post('/v1/sales', sale({}), { idempotencyKey: '' }), 'IDEMPOTENCY_KEY_REQUIRED');
    await expect400(
      () => m.terminal.post('/v1/sales', sale({}), { idempotencyKey: 'k'.repeat(256) }),
      'IDEMPOTENCY_KEY_REQUIRED',
    );
  });

  it('the largest allowed amount, 10^11 fen, is accepted', async () => {
    const answer = await m.terminal.post(
      '/v1/sales',
      sale({ amount: 100_000_000_000, payment_method: { type: 'cash', tendered: 100_000_000_000 } }),
    );
    expect(answer.status).toBe(201);
    expect(answer.body.amount).toBe(100_000_000_000);
  });

  it('a body that is not JSON → 415 with a code, nothing written', async () => {
    const before = await t.checksum();
    const answer = await t.request('POST', '/v1/sales', {
      body: 'amount=1000&currency=CNY',
      headers: {
        ...m.terminal.headers({ 'idempotency-key': 'ct-1' }),
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    expect(answer.status).toBe(415);
    expect(answer.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await t.changedSince(before)).toEqual([]);
  });

  const refund = (over: Record<string, unknown>) => ({ sale_id: saleId, amount: 100, reason: '退货', ...over });

  it.each([
    ['amount zero', () => refund({ amount: 0 })],
    ['amount negative', () => refund({ amount: -1 })],
    ['amount fractional', () => refund({ amount: 0.5 })],
    ['amount as a string', () => refund({ amount: '100' })],
    ['amount 10^11 + 1', () => refund({ amount: 100_000_000_001 })],
    ['reason empty', () => refund({ reason: '' })],
    ['reason only spaces', () => refund({ reason: '   ' })],
    ['reason too long', () => refund({ reason: 'x'.repeat(201) })],
    ['type unknown', () => refund({ type: 'chargeback' })],
    ['unknown field', () => refund({ reverse_fees: true })],
    ['refund_to unknown', () => refund({ refund_to: 'gift_card' })],
    ['sale_id missing', () => ({ amount: 100, reason: 'x' })],
    ['sale_id a number', () => refund({ sale_id: 42 })],
  ])('POST /v1/refunds: %s → 400', async (_name, body) => {
    await expect400(() => m.terminal.post('/v1/refunds', body()));
  });

  it('POST /v1/refunds: broken JSON → 400 INVALID_JSON', async () => {
    await expect400(() => m.terminal.post('/v1/refunds', '{"sale_id":'), 'INVALID_JSON');
  });

  it.each([
    ['unknown field', { refund_key: 'x', approve: true }],
    ['refund_key a number', { refund_key: 12345678 }],
    ['code with letters', { code: 'abcdef' }],
    ['refund_key too long', { refund_key: 'k'.repeat(129) }],
  ])('POST /v1/refunds/:id/authorize: %s → 400', async (_name, body) => {
    await expect400(() => m.terminal.post(`/v1/refunds/${refundId}/authorize`, body));
  });

  it('POST /v1/operator-sessions and /v1/terminals/activate refuse bad bodies', async () => {
    await expect400(() =>
      t.request('POST', '/v1/operator-sessions', {
        body: { operator_no: '1', password: 'x' },
        headers: { authorization: `Bearer ${m.terminal.key}` },
      }),
    );
    await expect400(
      () =>
        t.request('POST', '/v1/operator-sessions', {
          body: '{oops',
          headers: { authorization: `Bearer ${m.terminal.key}` },
        }),
      'INVALID_JSON',
    );
    await expect400(() => t.request('POST', '/v1/terminals/activate', { body: { activation_code: 'ABCD', extra: 1 } }));
    await expect400(() => t.request('POST', '/v1/terminals/activate', { body: {} }));
  });

  it('a validation error names the offending field', async () => {
    const answer = await m.terminal.post('/v1/sales', sale({ payment_method: { type: 'cash', tendered: -5 } }));
    expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', param: 'payment_method.tendered' });
  });
});
