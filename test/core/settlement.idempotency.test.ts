// Issue 10 "Operations" 2: POST /v1/settlements takes a required Idempotency-Key like sales and refunds, so a terminal
// that retries after a lost answer gets the first settlement back instead of closing a second batch; and an empty batch
// is refused (422 BATCH_EMPTY) unless the request says {"allow_empty": true}. A refused request changes nothing.
// Regression: POST /v1/settlements twice closed a second, empty batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('settlement idempotency and empty batches [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let pos: TerminalClient;
  let seq = 0;
  const key = () => `settle-${dialect}-${++seq}`;
  const closedBatches = async () =>
    (
      await t.db
        .selectFrom('batches')
        .select('id')
        .where('terminal_id', '=', pos.id)
        .where('status', '=', 'closed')
        .execute()
    ).length;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    pos = m.terminal;
  });
  afterAll(async () => t?.close());

  it('without an Idempotency-Key → 400 IDEMPOTENCY_KEY_REQUIRED, nothing closed', async () => {
    await pos.sale(1_000);
    const before = await t.checksum();
    for (const headers of [pos.headers(), pos.headers({ 'idempotency-key': 'x'.repeat(256) })]) {
      const answer = await t.request('POST', '/v1/settlements', { headers });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    }
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('the same key twice answers the first settlement; no second batch is closed', async () => {
    const k = key();
    const first = await pos.post('/v1/settlements', undefined, { idempotencyKey: k });
    expect(first.status).toBe(201);
    expect(first.body.totals.sales).toEqual({ count: 1, amount: 1_000 });
    const closed = await closedBatches();
    // A sale in the next batch: a replay must not close (or count) it.
    await pos.sale(2_000);
    for (const body of [undefined, {}, { allow_empty: false }]) {
      const again = await pos.post('/v1/settlements', body, { idempotencyKey: k });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
    }
    expect(await closedBatches()).toBe(closed);
    // The next key settles the next batch, with the sale made after the first settlement.
    const next = await pos.post('/v1/settlements', undefined, { idempotencyKey: key() });
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(first.body.id);
    expect(next.body.totals.sales).toEqual({ count: 1, amount: 2_000 });
  });

  it('the same key with another body → 409 IDEMPOTENCY_KEY_REUSED; a key is scoped to its route', async () => {
    await pos.sale(3_000);
    const k = key();
    expect((await pos.post('/v1/settlements', undefined, { idempotencyKey: k })).status).toBe(201);
    const settled = await t.checksum();
    const other = await pos.post('/v1/settlements', { allow_empty: true }, { idempotencyKey: k });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await t.changedSince(settled)).toEqual([]);
    // A sale's key reused for a settlement is another request, not a replay of the sale.
    const saleKey = key();
    expect(
      (
        await pos.post(
          '/v1/sales',
          { amount: 10, currency: 'CNY', payment_method: { type: 'cash', tendered: 10 } },
          { idempotencyKey: saleKey },
        )
      ).status,
    ).toBe(201);
    const sold = await t.checksum();
    const crossed = await pos.post('/v1/settlements', undefined, { idempotencyKey: saleKey });
    expect(crossed.status).toBe(409);
    expect(crossed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await t.changedSince(sold)).toEqual([]);
    expect((await pos.post('/v1/settlements', undefined, { idempotencyKey: key() })).status).toBe(201);
  });

  it('an empty batch → 422 BATCH_EMPTY and changes nothing (the key stays free); allow_empty closes it', async () => {
    const before = await t.checksum();
    const k = key();
    const refused = await pos.post('/v1/settlements', undefined, { idempotencyKey: k });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('BATCH_EMPTY');
    expect(refused.body.error.message).toContain('allow_empty');
    expect(await t.changedSince(before)).toEqual([]);
    // Declined sales are not transactions of the batch either.
    const declined = await pos.post('/v1/sales', {
      amount: 3_000,
      currency: 'CNY',
      payment_method: { type: 'bank_card', card: { number: '4000000000009995', expiry: '12/30', entry_mode: 'chip' } },
    });
    expect([declined.status, declined.body.status]).toEqual([201, 'declined']);
    const withDecline = await t.checksum();
    const stillEmpty = await pos.post('/v1/settlements', undefined, { idempotencyKey: k });
    expect(stillEmpty.status).toBe(422);
    expect(stillEmpty.body.error?.code).toBe('BATCH_EMPTY');
    expect(await t.changedSince(withDecline)).toEqual([]);
    const closed = await closedBatches();
    const forced = await pos.post('/v1/settlements', { allow_empty: true }, { idempotencyKey: k });
    expect(forced.status).toBe(201);
    expect(forced.body.totals.sales).toEqual({ count: 0, amount: 0 });
    expect(await closedBatches()).toBe(closed + 1);
  });

  it('bad bodies are refused before anything happens', async () => {
    const before = await t.checksum();
    for (const body of [{ allow_empty: 'yes' }, { allow_empty: true, extra: 1 }, []]) {
      const answer = await pos.post('/v1/settlements', body, { idempotencyKey: key() });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code, JSON.stringify(body)).toBe('VALIDATION_FAILED');
    }
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('concurrent retries with one key close one batch and all answer the same settlement', async () => {
    await pos.sale(4_000);
    const k = key();
    const closed = await closedBatches();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => pos.post('/v1/settlements', undefined, { idempotencyKey: k })),
    );
    const ok = answers.filter((a) => a.status === 201);
    // A retry that arrives while the first still holds the key may be told so (409 in progress), never a second close.
    expect(
      Object.keys(tally(answers)).filter((k) => k !== '201' && k !== '409 IDEMPOTENCY_REQUEST_IN_PROGRESS'),
    ).toEqual([]);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((a) => a.body.id)).size).toBe(1);
    expect(ok[0]?.body.totals.sales).toEqual({ count: 1, amount: 4_000 });
    expect(await closedBatches()).toBe(closed + 1);
  });
});
