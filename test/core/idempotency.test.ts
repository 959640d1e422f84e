import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { createRefundkey } from '../../src/main.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { CARD_OK, type SeededMerchant, TestApp } from '../support/test-app.js';
import { CARDS, card, saleRow, sandboxOps, signInAgain } from './core-helpers.js';

// docs/api.md: Idempotency-Key scoped to the terminal, kept ≥ 24 h; same key + same body replays the first answer (status
// and body), same key + another body → 409 IDEMPOTENCY_KEY_REUSED; stored in the database (holds across instances).
describe.each(DIALECTS)('idempotency keys [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  const countSales = async (amount: number) =>
    (await t.db.selectFrom('sales').select('id').where('amount', '=', amount).execute()).length;

  it('a replayed card sale answers the same status and body, with one row and one charge', async () => {
    const body = { amount: 11_001, currency: 'CNY', payment_method: CARD_OK };
    const first = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-sale-1' });
    const second = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-sale-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(await countSales(11_001)).toBe(1);
    expect(await sandboxOps(t, first.body.id)).toBe(1);
  });

  it('the same body with its fields in another order is the same request', async () => {
    const first = await m.terminal.post(
      '/v1/sales',
      { amount: 11_002, currency: 'CNY', payment_method: { type: 'cash', tendered: 20_000 } },
      { idempotencyKey: 'idem-order' },
    );
    const reordered = await m.terminal.post(
      '/v1/sales',
      { payment_method: { tendered: 20_000, type: 'cash' }, currency: 'CNY', amount: 11_002 },
      { idempotencyKey: 'idem-order' },
    );
    expect(reordered).toMatchObject({ status: first.status, body: first.body });
    expect(await countSales(11_002)).toBe(1);
  });

  it('a replayed decline answers the same decline, without a second charge', async () => {
    const body = { amount: 11_003, currency: 'CNY', payment_method: card(CARDS.doNotHonor) };
    const first = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-decline' });
    const second = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-decline' });
    expect(first.body.status).toBe('declined');
    expect(second).toMatchObject({ status: first.status, body: first.body });
    expect(await sandboxOps(t, first.body.id)).toBe(1);
  });

  it('the same key with another body → 409 IDEMPOTENCY_KEY_REUSED, nothing written', async () => {
    await m.terminal.post(
      '/v1/sales',
      { amount: 11_004, currency: 'CNY', payment_method: CARD_OK },
      { idempotencyKey: 'idem-reuse' },
    );
    const before = await t.checksum();
    for (const other of [
      { amount: 11_005, currency: 'CNY', payment_method: CARD_OK },
      { amount: 11_004, currency: 'CNY', payment_method: card(CARDS.visa) },
      { amount: 11_004, currency: 'CNY', payment_method: { type: 'cash', tendered: 11_004 } },
    ]) {
      const answer = await m.terminal.post('/v1/sales', other, { idempotencyKey: 'idem-reuse' });
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    // A sale's key used on the refunds route is another request too.
    const crossRoute = await m.terminal.post(
      '/v1/refunds',
      { sale_id: 'sal_x', amount: 1, reason: 'x' },
      { idempotencyKey: 'idem-reuse' },
    );
    expect(crossRoute.status).toBe(409);
    expect(crossRoute.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('keys are scoped to the terminal: the same key on another terminal is a new sale', async () => {
    const other = m.terminals[1];
    if (!other) throw new Error('two terminals');
    const body = { amount: 11_006, currency: 'CNY', payment_method: CARD_OK };
    const a = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-scope' });
    const b = await other.post('/v1/sales', body, { idempotencyKey: 'idem-scope' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(await countSales(11_006)).toBe(2);
  });

  it('a missing Idempotency-Key → 400 on both routes', async () => {
    const headers = m.terminal.headers();
    const before = await t.checksum();
    const sale = await t.request('POST', '/v1/sales', {
      body: { amount: 11_007, currency: 'CNY', payment_method: CARD_OK },
      headers,
    });
    expect(sale.status).toBe(400);
    expect(sale.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const refund = await t.request('POST', '/v1/refunds', {
      body: { sale_id: 'sal_x', amount: 1, reason: 'x' },
      headers,
    });
    expect(refund.status).toBe(400);
    expect(refund.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await countSales(11_007)).toBe(0);
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('a replayed refund answers the first response and reserves once; another amount → 409', async () => {
    const sale = await m.terminal.sale(12_000);
    const body = { sale_id: sale.id, amount: 5_000, reason: '重复提交 retry' };
    const first = await m.terminal.post('/v1/refunds', body, { idempotencyKey: 'idem-refund' });
    const second = await m.terminal.post('/v1/refunds', body, { idempotencyKey: 'idem-refund' });
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 201, body: first.body });
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 5_000, refund_count: 1 });

    const before = await t.checksum();
    const changed = await m.terminal.post('/v1/refunds', { ...body, amount: 5_001 }, { idempotencyKey: 'idem-refund' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const rows = await t.db.selectFrom('refunds').select('id').where('sale_id', '=', sale.id).execute();
    expect(rows).toHaveLength(1);
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('10 concurrent requests with one key create one sale and one charge', async () => {
    const body = { amount: 11_008, currency: 'CNY', payment_method: CARD_OK };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-race' })),
    );
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    // Each answer is the sale (201) or "still in progress" (202): a 5xx or a refusal is a key of its own.
    expect(Object.keys(tally(answers)).filter((k) => k !== '201' && k !== '202')).toEqual([]);
    for (const a of answers) expect([201, 202]).toContain(a.status);
    expect(await countSales(11_008)).toBe(1);
    expect(await sandboxOps(t, [...ids][0] as string)).toBe(1);
    const later = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-race' });
    expect(later.status).toBe(201);
    expect(later.body).toMatchObject({ id: [...ids][0], status: 'succeeded' });
  });

  it('10 concurrent refund requests with one key reserve once', async () => {
    const sale = await m.terminal.sale(13_000);
    const body = { sale_id: sale.id, amount: 13_000, reason: 'race' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => m.terminal.post('/v1/refunds', body, { idempotencyKey: 'idem-refund-race' })),
    );
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(tally(answers)).toEqual({ '201': 10 });
    for (const a of answers) expect(a.status).toBe(201);
    expect(await saleRow(t, sale.id)).toMatchObject({ reserved_amount: 13_000, refund_count: 1 });
  });

  it('a second instance on the same database replays the first instance’s answer', async () => {
    const body = { amount: 11_009, currency: 'CNY', payment_method: CARD_OK };
    const first = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-instances' });
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const second = await createRefundkey(t.services.config, {
      clock: t.clock,
      log: createLogger({ destination: sink }),
      migrate: false,
    });
    try {
      const replay = await second.server.inject({
        method: 'POST',
        url: '/v1/sales',
        headers: { ...m.terminal.headers({ 'idempotency-key': 'idem-instances' }), 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      expect(replay.statusCode).toBe(first.status);
      expect(JSON.parse(replay.body)).toEqual(first.body);
    } finally {
      await second.close();
    }
    expect(await countSales(11_009)).toBe(1);
  });

  it('keys are kept 24 h at least, then purged', async () => {
    const body = { amount: 11_010, currency: 'CNY', payment_method: { type: 'cash', tendered: 11_010 } };
    const first = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'idem-retention' });
    t.clock.advance(24 * 60 * 60_000);
    await t.services.idempotency.purgeExpired();
    const stored = await t.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('key', '=', 'idem-retention')
      .execute();
    expect(stored).toHaveLength(1);
    expect(first.status).toBe(201);
    t.clock.advance(2 * 24 * 60 * 60_000);
    expect(await t.services.idempotency.purgeExpired()).toBeGreaterThan(0);
    expect(
      await t.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'idem-retention').execute(),
    ).toHaveLength(0);
  });

  // Regression: the card was re-validated before the replay lookup, so a retry after the card expired answered 400.
  it('a replay answers the first response even after the card has expired', async () => {
    const pos = await signInAgain(t, m, m.terminal);
    const body = { amount: 11_011, currency: 'CNY', payment_method: card(CARDS.visa, '11/26') };
    const first = await pos.post('/v1/sales', body, { idempotencyKey: 'idem-expired-card' });
    expect(first.status).toBe(201);
    t.clock.set(Date.parse('2026-12-01T00:00:00Z'));
    const again = await signInAgain(t, m, pos);
    const before = await t.checksum();
    const replay = await again.post('/v1/sales', body, { idempotencyKey: 'idem-expired-card' });
    expect(replay).toMatchObject({ status: 201, body: first.body });
    const fresh = await again.post('/v1/sales', body, { idempotencyKey: 'idem-expired-card-2' });
    expect(fresh.status).toBe(400);
    expect(fresh.body.error.code).toBe('CARD_EXPIRED');
    expect(await t.changedSince(before)).toEqual([]);
  });
});
