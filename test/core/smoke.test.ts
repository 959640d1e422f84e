import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('smoke [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('sells and refunds with the refund key', async () => {
    const sale = await m.terminal.sale(10_000);
    expect(sale.status).toBe('succeeded');
    const refund = await m.terminal.post('/v1/refunds', { sale_id: sale.id, amount: 2500, reason: 'test' });
    expect(refund.status).toBe(201);
    const done = await m.terminal.post(`/v1/refunds/${refund.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(done.body.status).toBe('succeeded');
    const after = await m.terminal.get(`/v1/sales/${sale.id}`);
    expect(after.body.refunded_amount).toBe(2500);
    expect(after.body.refundable_amount).toBe(7500);
  });
});
