import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';
import { QR_CODES, qr, refundWithKey, saleRow } from './core-helpers.js';

// A void (撤销) is a full-amount cancel inside the terminal's open batch; outside it → 422 VOID_NOT_ALLOWED.
describe.each(DIALECTS)('voids [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let pos1: TerminalClient;
  let pos2: TerminalClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    [pos1, pos2] = m.terminals as [TerminalClient, TerminalClient];
  });
  afterAll(async () => t?.close());

  async function expectVoidRefused(terminal: TerminalClient, saleId: string, amount: number) {
    const before = await t.checksum();
    const answer = await terminal.post('/v1/refunds', { sale_id: saleId, amount, reason: '撤销 void', type: 'void' });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('VOID_NOT_ALLOWED');
    expect(await t.changedSince(before)).toEqual([]);
  }

  it.each([
    ['card', undefined],
    ['QR', qr('unionpay', QR_CODES.unionpay())],
    ['cash', { type: 'cash', tendered: 5_000 }],
  ])('%s sale voided inside the open batch with the refund key: sale shows voided', async (_name, method) => {
    const sale = await pos1.sale(5_000, method);
    const { created, authorized } = await refundWithKey(m, pos1, sale.id, 5_000, 'void');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'void', status: 'requires_authorization', amount: 5_000 });
    expect(authorized?.status).toBe(200);
    expect(authorized?.body).toMatchObject({ type: 'void', status: 'succeeded', batch_id: sale.batch_id });
    const read = await pos1.get(`/v1/sales/${sale.id}`);
    expect(read.body).toMatchObject({ status: 'voided', refundable_amount: 0, refunded_amount: 5_000 });
    expect(read.body.refunds).toHaveLength(1);
    const row = await saleRow(t, sale.id);
    expect(row).toMatchObject({ voided: 1, reserved_amount: 0 });
    // Nothing more can be refunded or voided.
    const beforeRefund = await t.checksum();
    const refund = await pos1.post('/v1/refunds', { sale_id: sale.id, amount: 1, reason: 'x' });
    expect(refund.status).toBe(422);
    expect(refund.body.error.code).toBe('SALE_NOT_REFUNDABLE');
    expect(await t.changedSince(beforeRefund)).toEqual([]);
  });

  it('a partial-amount void → 422', async () => {
    const sale = await pos1.sale(3_000);
    await expectVoidRefused(pos1, sale.id, 2_999);
  });

  it('a void from another terminal of the same store → 422', async () => {
    const sale = await pos1.sale(3_100);
    await expectVoidRefused(pos2, sale.id, 3_100);
  });

  it('a void after a partial refund → 422', async () => {
    const sale = await pos1.sale(3_200);
    const { authorized } = await refundWithKey(m, pos1, sale.id, 200);
    expect(authorized?.body.status).toBe('succeeded');
    await expectVoidRefused(pos1, sale.id, 3_200);
  });

  it('a second void while the first waits → 422, the first still completes once', async () => {
    const sale = await pos1.sale(3_300);
    const first = await pos1.post('/v1/refunds', { sale_id: sale.id, amount: 3_300, reason: 'void', type: 'void' });
    expect(first.status).toBe(201);
    await expectVoidRefused(pos1, sale.id, 3_300);
    const done = await pos1.post(`/v1/refunds/${first.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(done.body.status).toBe('succeeded');
    expect(await saleRow(t, sale.id)).toMatchObject({ refunded_amount: 3_300, reserved_amount: 0, voided: 1 });
  });

  it('after POST /v1/settlements the sale can no longer be voided, only refunded', async () => {
    const sale = await pos1.sale(3_400);
    const settled = await pos1.post('/v1/settlements');
    expect(settled.status).toBe(201);
    expect(settled.body.id).toBe(sale.batch_id);
    await expectVoidRefused(pos1, sale.id, 3_400);
    const { authorized } = await refundWithKey(m, pos1, sale.id, 3_400);
    expect(authorized?.body.status).toBe('succeeded');
    expect((await pos1.get(`/v1/sales/${sale.id}`)).body).toMatchObject({
      status: 'succeeded',
      refunded_amount: 3_400,
      refundable_amount: 0,
    });
  });

  // Regression: a void started in the open batch could still be authorized after that batch was settled.
  it('a void started before settlement but authorized after it → 422, reservation released', async () => {
    const sale = await pos1.sale(3_500);
    const created = await pos1.post('/v1/refunds', { sale_id: sale.id, amount: 3_500, reason: 'void', type: 'void' });
    expect(created.status).toBe(201);
    expect((await pos1.post('/v1/settlements')).status).toBe(201);
    const beforeLate = await t.checksum();
    const late = await pos1.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('VOID_NOT_ALLOWED');
    // The refusal releases the reservation (the refund fails, the sale and the day's usage give the amount back) and
    // changes nothing else.
    expect(await t.changedSince(beforeLate)).toEqual(['refund_daily_usage', 'refunds', 'sales']);
    expect(await saleRow(t, sale.id)).toMatchObject({ voided: 0, refunded_amount: 0, reserved_amount: 0 });
    expect((await pos1.get(`/v1/refunds/${created.body.id}`)).body.status).not.toBe('succeeded');
  });
});
