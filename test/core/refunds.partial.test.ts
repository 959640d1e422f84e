import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../../src/lib/clock.js';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';
import { QR_CODES, qr, refundWithKey, saleRow, sandboxOps, signInAgain } from './core-helpers.js';

// Partial and multiple refunds up to the captured amount; reservations; refund window (issue 2, items 5-6).
describe.each(DIALECTS)('partial and multiple refunds [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let pos: TerminalClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    pos = m.terminal;
  });
  afterAll(async () => t?.close());

  it('refunds in parts up to the captured amount, then one fen more → 422 REFUND_EXCEEDS_REFUNDABLE', async () => {
    const sale = await pos.sale(10_000);
    for (const [amount, refunded] of [
      [2_500, 2_500],
      [3_000, 5_500],
      [4_499, 9_999],
    ] as const) {
      const { created, authorized } = await refundWithKey(m, pos, sale.id, amount);
      expect(created.status).toBe(201);
      expect(authorized?.body).toMatchObject({ status: 'succeeded', amount });
      expect(await sandboxOps(t, created.body.id)).toBe(1);
      const read = await pos.get(`/v1/sales/${sale.id}`);
      expect(read.body).toMatchObject({ refunded_amount: refunded, refundable_amount: 10_000 - refunded });
    }
    const before = await t.checksum();
    const over = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 2, reason: 'one fen too many' });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_REFUNDABLE', refundable_amount: 1 });
    expect(await t.changedSince(before)).toEqual([]);

    const last = await refundWithKey(m, pos, sale.id, 1);
    expect(last.authorized?.body.status).toBe('succeeded');
    const full = await t.checksum();
    const oneMore = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1, reason: 'x' });
    expect(oneMore.status).toBe(422);
    expect(oneMore.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_REFUNDABLE', refundable_amount: 0 });
    expect(await t.changedSince(full)).toEqual([]);

    const read = await pos.get(`/v1/sales/${sale.id}`);
    expect(read.body).toMatchObject({ status: 'succeeded', refunded_amount: 10_000, refundable_amount: 0 });
    // The manual clock does not move between them, so compare the refunds regardless of order.
    expect(read.body.refunds.map((r: { amount: number }) => r.amount).sort((x: number, y: number) => x - y)).toEqual([
      1, 2_500, 3_000, 4_499,
    ]);
    expect(read.body.refunds.map((r: { status: string }) => r.status)).toEqual(Array(4).fill('succeeded'));
    expect(await saleRow(t, sale.id)).toMatchObject({ refunded_amount: 10_000, reserved_amount: 0, refund_count: 4 });
  });

  it('a cash sale is refunded in cash, without the acquirer', async () => {
    const sale = await pos.sale(6_000, { type: 'cash', tendered: 10_000 });
    const { created, authorized } = await refundWithKey(m, pos, sale.id, 6_000);
    expect(authorized?.body.status).toBe('succeeded');
    expect(await sandboxOps(t, created.body.id)).toBe(0);
  });

  it('a waiting refund reserves its amount; canceling releases it', async () => {
    const sale = await pos.sale(5_000);
    const waiting = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 3_000, reason: 'wait' });
    expect(waiting.status).toBe(201);
    expect((await pos.get(`/v1/sales/${sale.id}`)).body.refundable_amount).toBe(2_000);
    const reserved = await t.checksum();
    const over = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 2_001, reason: 'x' });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_REFUNDABLE', refundable_amount: 2_000 });
    expect(await t.changedSince(reserved)).toEqual([]);

    const canceled = await pos.post(`/v1/refunds/${waiting.body.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 0, refunded_amount: 0, refund_count: 0 });
    expect((await pos.get(`/v1/sales/${sale.id}`)).body.refundable_amount).toBe(5_000);

    const canceledState = await t.checksum();
    const again = await pos.post(`/v1/refunds/${waiting.body.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REFUND_NOT_CANCELABLE');
    const authorize = await pos.post(`/v1/refunds/${waiting.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(authorize.status).toBe(409);
    expect(authorize.body.error.code).toBe('REFUND_NOT_AUTHORIZABLE');
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 0, refunded_amount: 0 });
    expect(await t.changedSince(canceledState)).toEqual([]);

    const full = await refundWithKey(m, pos, sale.id, 5_000);
    expect(full.authorized?.body.status).toBe('succeeded');
  });

  it('a succeeded refund cannot be canceled', async () => {
    const sale = await pos.sale(1_000);
    const { created } = await refundWithKey(m, pos, sale.id, 1_000);
    const before = await t.checksum();
    const cancel = await pos.post(`/v1/refunds/${created.body.id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe('REFUND_NOT_CANCELABLE');
    expect(await saleRow(t, sale.id)).toMatchObject({ refunded_amount: 1_000, reserved_amount: 0 });
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('a wrong refund key refuses and leaves the refund waiting with its reservation', async () => {
    const sale = await pos.sale(1_100);
    const created = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1_100, reason: 'x' });
    // A wrong key is counted (attempt counters, the audit log: what a refusal must record); nothing else changes.
    const before = await t.checksum();
    const wrong = await pos.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: 'not-the-key-123' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('REFUND_KEY_INVALID');
    expect((await pos.get(`/v1/refunds/${created.body.id}`)).body.status).toBe('requires_authorization');
    const missing = await pos.post(`/v1/refunds/${created.body.id}/authorize`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('AUTHORIZATION_FACTOR_MISSING');
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 1_100, refunded_amount: 0 });
    expect(await t.changedSince(before)).toEqual([]);
    const right = await pos.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(right.body.status).toBe('succeeded');
  });

  it('a refund is authorized on the terminal that started it', async () => {
    const other = m.terminals[1];
    if (!other) throw new Error('two terminals');
    const sale = await pos.sale(1_200);
    const created = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1_200, reason: 'x' });
    const before = await t.checksum();
    const elsewhere = await other.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('REFUND_OTHER_TERMINAL');
    const cancelElsewhere = await other.post(`/v1/refunds/${created.body.id}/cancel`);
    expect(cancelElsewhere.status).toBe(403);
    expect(cancelElsewhere.body.error.code).toBe('REFUND_OTHER_TERMINAL');
    expect((await pos.get(`/v1/refunds/${created.body.id}`)).body.status).toBe('requires_authorization');
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 1_200, refunded_amount: 0 });
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('a waiting refund expires after 15 minutes and releases its reservation', async () => {
    const sale = await pos.sale(1_300);
    const created = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1_300, reason: 'x' });
    t.clock.advance(15 * MINUTE);
    const read = await pos.get(`/v1/refunds/${created.body.id}`);
    expect(read.body.status).toBe('expired');
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 0, refund_count: 0 });
    const expired = await t.checksum();
    const late = await pos.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('REFUND_EXPIRED');
    expect(await t.changedSince(expired)).toEqual([]);
  });

  it('the expiry worker releases waiting refunds nobody looks at', async () => {
    const sale = await pos.sale(1_400);
    const created = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1_400, reason: 'x' });
    t.clock.advance(15 * MINUTE - 1);
    expect((await t.services.refundLedger.expireDue()).map((r) => r.id)).not.toContain(created.body.id);
    t.clock.advance(1);
    expect((await t.services.refundLedger.expireDue()).map((r) => r.id)).toContain(created.body.id);
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 0, refund_count: 0 });
  });

  it('at most 50 refunds per sale; a canceled one does not count', async () => {
    const sale = await pos.sale(10_000);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const created = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1, reason: `part ${i}` });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const fifty = await t.checksum();
    const fiftyFirst = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1, reason: 'too many' });
    expect(fiftyFirst.status).toBe(422);
    expect(fiftyFirst.body.error.code).toBe('REFUND_LIMIT_REACHED');
    expect(await t.changedSince(fifty)).toEqual([]);
    expect((await pos.post(`/v1/refunds/${ids[0]}/cancel`)).status).toBe(200);
    const replacement = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1, reason: 'replacement' });
    expect(replacement.status).toBe(201);
    expect(await saleRow(t, sale.id)).toMatchObject({ refund_count: 50, reserved_amount: 50 });
  });

  it('refund window: a card sale is refundable for 30 days, not 31; a QR sale still is', async () => {
    const cardSale = await pos.sale(2_000);
    const qrSale = await pos.sale(2_000, qr('wechat', QR_CODES.wechat()));
    t.clock.advance(30 * DAY);
    pos = await signInAgain(t, m, pos);
    const inside = await pos.post('/v1/refunds', { sale_id: cardSale.id, amount: 100, reason: 'day 30' });
    expect(inside.status).toBe(201);
    expect((await pos.post(`/v1/refunds/${inside.body.id}/cancel`)).status).toBe(200);

    t.clock.advance(DAY);
    pos = await signInAgain(t, m, pos);
    const before = await t.checksum();
    const outside = await pos.post('/v1/refunds', { sale_id: cardSale.id, amount: 100, reason: 'day 31' });
    expect(outside.status).toBe(422);
    expect(outside.body.error.code).toBe('REFUND_WINDOW_EXPIRED');
    expect(await t.changedSince(before)).toEqual([]);
    const qrRefund = await refundWithKey(m, pos, qrSale.id, 2_000);
    expect(qrRefund.authorized?.body.status).toBe('succeeded');
  });
});
