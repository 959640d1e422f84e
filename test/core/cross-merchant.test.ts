import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { sameAnswerAs } from '../support/outcomes.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { saleRow } from './core-helpers.js';

// Other merchants' objects answer 404, exactly like ids that do not exist (docs/api.md "Conventions"; docs/security.md "What the tests try").
describe.each(DIALECTS)('cross-merchant isolation [%s]', (dialect) => {
  let t: TestApp;
  let a: SeededMerchant;
  let b: SeededMerchant;
  let saleId: string;
  let refundId: string;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    a = await t.seedMerchant();
    b = await t.seedMerchant();
    saleId = (await a.terminal.sale(9_000)).id;
    refundId = (await a.terminal.post('/v1/refunds', { sale_id: saleId, amount: 1_000, reason: 'A 的退款' })).body.id;
  });
  afterAll(async () => t?.close());

  it("another merchant's sale id → 404 SALE_NOT_FOUND, same answer as an unknown id", async () => {
    const before = await t.checksum();
    const foreign = await b.terminal.get(`/v1/sales/${saleId}`);
    const unknown = await b.terminal.get('/v1/sales/sal_doesnotexist0000000');
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('SALE_NOT_FOUND');
    expect(foreign.body).toEqual(sameAnswerAs(unknown.body));
    expect(await t.changedSince(before)).toEqual([]);
  });

  it.each(['refund', 'void'] as const)("a %s of another merchant's sale → 404, nothing written", async (type) => {
    const before = await t.checksum();
    const answer = await b.terminal.post('/v1/refunds', { sale_id: saleId, amount: 9_000, reason: 'x', type });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('SALE_NOT_FOUND');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it("another merchant's refund id → 404 on read, authorize and cancel; the refund is untouched", async () => {
    const before = await t.checksum();
    const unknownRead = await b.terminal.get('/v1/refunds/ref_doesnotexist000000');
    expect(unknownRead.status).toBe(404);
    for (const [method, url, body] of [
      ['GET', `/v1/refunds/${refundId}`, undefined],
      ['POST', `/v1/refunds/${refundId}/authorize`, { refund_key: a.demo.refund_key }],
      ['POST', `/v1/refunds/${refundId}/authorize`, { refund_key: b.demo.refund_key }],
      ['POST', `/v1/refunds/${refundId}/cancel`, undefined],
    ] as const) {
      const answer = method === 'GET' ? await b.terminal.get(url) : await b.terminal.post(url, body);
      expect(answer.status, `${method} ${url}`).toBe(404);
      expect(answer.body.error.code).toBe('REFUND_NOT_FOUND');
      expect(answer.body).toEqual(sameAnswerAs(unknownRead.body));
    }
    const own = await a.terminal.get(`/v1/refunds/${refundId}`);
    expect(own.body.status).toBe('requires_authorization');
    expect(await saleRow(t, saleId)).toMatchObject({ reserved_amount: 1_000, refunded_amount: 0 });
    expect(await t.changedSince(before)).toEqual([]);
  });

  it("one merchant's refund key does not authorize another merchant's refund", async () => {
    const before = await t.checksum();
    const wrong = await a.terminal.post(`/v1/refunds/${refundId}/authorize`, { refund_key: b.demo.refund_key });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('REFUND_KEY_INVALID');
    expect(await t.changedSince(before)).toEqual([]);
    const right = await a.terminal.post(`/v1/refunds/${refundId}/authorize`, { refund_key: a.demo.refund_key });
    expect(right.body.status).toBe('succeeded');
  });

  it("a merchant's settlement holds only its own terminal's sales", async () => {
    await b.terminal.sale(1_234);
    const settled = await b.terminal.post('/v1/settlements');
    expect(settled.status).toBe(201);
    expect(settled.body.totals.sales).toEqual({ count: 1, amount: 1_234 });
  });
});
