import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Acquirer, ChargeRequest } from '../../src/modules/acquirer/acquirer.js';
import { SandboxAcquirer } from '../../src/modules/acquirer/sandbox-acquirer.js';
import { DIALECTS } from '../support/databases.js';
import { CARD_OK, type SeededMerchant, TestApp } from '../support/test-app.js';
import { sandboxOps } from './core-helpers.js';

/** The sandbox behind a network that can be cut: while `down`, charges fail before reaching the acquirer. */
class FlakyNetwork implements Acquirer {
  down = false;
  constructor(private readonly inner: Acquirer) {}
  charge(request: ChargeRequest) {
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED 10.9.8.7:443 (acquirer password=hunter2)'));
    return this.inner.charge(request);
  }
  query(reference: string) {
    return this.inner.query(reference);
  }
  refund(request: Parameters<Acquirer['refund']>[0]) {
    return this.inner.refund(request);
  }
}

// docs/api.md: a 5xx never carries internals; it has a request_id that the log also has. The sale it leaves reconciles.
describe.each(DIALECTS)('internal errors [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let network: FlakyNetwork | undefined;
  beforeAll(async () => {
    t = await TestApp.start(dialect, {
      acquirer: ({ database, clock }) => {
        network = new FlakyNetwork(new SandboxAcquirer(database.db, clock));
        return network;
      },
    });
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('an unexpected error → 500 INTERNAL_ERROR with the request id, no internals; the log has the same id', async () => {
    if (!network) throw new Error('acquirer not built');
    network.down = true;
    const body = { amount: 4_200, currency: 'CNY', payment_method: CARD_OK };
    const failed = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'net-down-1' });
    network.down = false;
    expect(failed.status).toBe(500);
    expect(Object.keys(failed.body.error).sort()).toEqual(['code', 'message', 'request_id']);
    expect(failed.body.error.code).toBe('INTERNAL_ERROR');
    expect(failed.body.error.request_id).toBe(failed.headers['request-id']);
    expect(JSON.stringify(failed.body)).not.toMatch(/ECONNREFUSED|hunter2|10\.9\.8\.7|stack/);
    const lines = t.logs.map((l) => JSON.parse(l) as { reqId?: string; msg?: string; level?: number });
    expect(
      lines.some((l) => l.reqId === failed.body.error.request_id && l.msg === 'unhandled error' && l.level === 50),
    ).toBe(true);
    expect(lines.filter((l) => l.reqId === failed.body.error.request_id && l.msg === 'request')).toHaveLength(1);

    // The charge never reached the acquirer: the retry answers pending, and after the grace period declined, never a charge.
    const retry = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'net-down-1' });
    expect(retry.status).toBe(202);
    t.clock.advance(60_001);
    const settled = await m.terminal.post('/v1/sales', body, { idempotencyKey: 'net-down-1' });
    expect(settled.status).toBe(201);
    expect(settled.body).toMatchObject({
      status: 'declined',
      decline_code: 'acquirer_no_record',
      refundable_amount: 0,
    });
    expect(await sandboxOps(t, settled.body.id)).toBe(0);
  });

  it('unknown routes answer 404 ROUTE_NOT_FOUND in the same envelope', async () => {
    const before = await t.checksum();
    const answer = await m.terminal.get('/v1/salez');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('ROUTE_NOT_FOUND');
    const post = await m.terminal.post('/v1/salez', { amount: 1 });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('ROUTE_NOT_FOUND');
    expect(await t.changedSince(before)).toEqual([]);
  });
});
