import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { createRefundkey } from '../../src/main.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { refundWithKey, saleRow, sandboxOps } from './core-helpers.js';

// docs/security.md "Refunds and money": the sum of succeeded and pending refunds of a sale never exceeds what was captured,
// under any concurrency (one atomic statement in the database, not read-then-write).
describe.each(DIALECTS)('over-refund under concurrency [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('50 concurrent full-amount refunds on one sale → exactly one 201, 49 × 422 with a code', async () => {
    const sale = await m.terminal.sale(8_888);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        m.terminal.post('/v1/refunds', { sale_id: sale.id, amount: 8_888, reason: `race ${i}` }),
      ),
    );
    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(tally(answers)).toEqual({ '201': 1, '422 REFUND_EXCEEDS_REFUNDABLE': 49 });
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const answer of refused) {
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe('REFUND_EXCEEDS_REFUNDABLE');
    }
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 8_888, refunded_amount: 0, refund_count: 1 });
    const rows = await t.db.selectFrom('refunds').select(['id', 'amount']).where('sale_id', '=', sale.id).execute();
    expect(rows).toEqual([{ id: accepted[0]?.body.id, amount: 8_888 }]);

    const done = await m.terminal.post(`/v1/refunds/${accepted[0]?.body.id}/authorize`, {
      refund_key: m.demo.refund_key,
    });
    expect(done.body.status).toBe('succeeded');
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 0, refunded_amount: 8_888 });
  });

  it('concurrent partial refunds from two terminals never sum past the capture', async () => {
    const sale = await m.terminal.sale(10_000);
    const [a, b] = m.terminals;
    if (!a || !b) throw new Error('two terminals');
    // 40 requests of 300 fen: at most 33 fit into 10 000.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).post('/v1/refunds', { sale_id: sale.id, amount: 300, reason: `part ${i}` }),
      ),
    );
    const accepted = answers.filter((x) => x.status === 201).length;
    expect(tally(answers)).toEqual({ '201': 33, '422 REFUND_EXCEEDS_REFUNDABLE': 7 });
    expect(accepted).toBe(33);
    expect(answers.filter((x) => x.status === 422)).toHaveLength(7);
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 9_900, refunded_amount: 0, refund_count: 33 });
  });

  it('concurrent authorizations of one refund book it once', async () => {
    const sale = await m.terminal.sale(4_000);
    const created = await m.terminal.post('/v1/refunds', { sale_id: sale.id, amount: 4_000, reason: 'x' });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        m.terminal.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: m.demo.refund_key }),
      ),
    );
    expect(tally(answers)).toEqual({ '200': 1, '409 REFUND_NOT_AUTHORIZABLE': 4 });
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
    const refused = answers.filter((y) => y.status !== 200);
    expect(refused).toHaveLength(4);
    for (const x of refused) {
      expect(x.status).toBe(409);
      expect(x.body.error.code).toBe('REFUND_NOT_AUTHORIZABLE');
    }
    expect(await sandboxOps(t, created.body.id)).toBe(1);
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 0, refunded_amount: 4_000 });
    const before = await t.checksum();
    const after = await refundWithKey(m, m.terminal, sale.id, 1);
    expect(after.created.status).toBe(422);
    expect(after.created.body.error.code).toBe('REFUND_EXCEEDS_REFUNDABLE');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('concurrent voids and full refunds of one sale → exactly one accepted', async () => {
    const sale = await m.terminal.sale(7_000);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        m.terminal.post('/v1/refunds', {
          sale_id: sale.id,
          amount: 7_000,
          reason: `mix ${i}`,
          type: i % 2 ? 'void' : 'refund',
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((x) => x.status !== 201);
    expect(refused).toHaveLength(19);
    for (const a of refused) {
      expect(a.status).toBe(422);
      expect(['REFUND_EXCEEDS_REFUNDABLE', 'VOID_NOT_ALLOWED']).toContain(a.body.error.code);
    }
    // Every answer is one of the three exact outcomes (no 5xx, no other status or code), whichever kind won.
    const outcomes = tally(answers);
    expect(
      Object.keys(outcomes).filter(
        (k) => !['201', '422 REFUND_EXCEEDS_REFUNDABLE', '422 VOID_NOT_ALLOWED'].includes(k),
      ),
    ).toEqual([]);
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 7_000, refund_count: 1 });
  });

  it('two server instances on one database: 2 × 25 concurrent full refunds → exactly one accepted', async () => {
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const second = await createRefundkey(t.services.config, {
      clock: t.clock,
      log: createLogger({ destination: sink }),
      migrate: false,
    });
    try {
      const sale = await m.terminal.sale(6_000);
      const body = JSON.stringify({ sale_id: sale.id, amount: 6_000, reason: 'two instances' });
      const viaSecond = (i: number) =>
        second.server
          .inject({
            method: 'POST',
            url: '/v1/refunds',
            headers: {
              ...m.terminal.headers({ 'idempotency-key': `second-${i}` }),
              'content-type': 'application/json',
            },
            payload: body,
          })
          .then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) }));
      const answers = await Promise.all([
        ...Array.from({ length: 25 }, () => m.terminal.post('/v1/refunds', JSON.parse(body))),
        ...Array.from({ length: 25 }, (_, i) => viaSecond(i)),
      ]);
      expect(tally(answers)).toEqual({ '201': 1, '422 REFUND_EXCEEDS_REFUNDABLE': 49 });
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 422 && a.body.error.code === 'REFUND_EXCEEDS_REFUNDABLE')).toHaveLength(
        49,
      );
      expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 6_000, refund_count: 1 });
    } finally {
      await second.close();
    }
  });
});
