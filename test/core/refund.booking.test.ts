// With the sandbox acquirer (a journal in our own database), a refund's journal entry and its booking (the batch, the
// refund's success, the sale's refunded amount) commit in one transaction (refund-ledger.ts finishProcessing): when the
// booking fails nothing of it remains, the acquirer's journal included, the refund stays `processing`, and the retry
// worker books it once, with one journal entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRefund } from '../authorization/authz-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { failUpdates } from '../support/db-faults.js';
import { TestApp } from '../support/test-app.js';
import { saleRow, sandboxOps } from './core-helpers.js';

describe.each(DIALECTS)('a refund is journaled and booked together [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a booking that fails leaves no journal entry; the retry books it with exactly one', async () => {
    const m = await t.seedMerchant();
    const refund = await startRefund(m.terminal, 5_000);
    const restore = await failUpdates(t, {
      table: 'refunds',
      column: 'status',
      value: 'succeeded',
      message: 'disk full (test)',
    });
    let answer: Awaited<ReturnType<typeof m.terminal.post>>;
    try {
      answer = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key });
    } finally {
      await restore();
    }
    expect(answer.status).toBe(500);
    expect((await m.terminal.get(`/v1/refunds/${refund.id}`)).body.status).toBe('processing');
    expect(await sandboxOps(t, refund.id)).toBe(0);
    expect((await saleRow(t, refund.sale_id)).refunded_amount).toBe(0);

    t.clock.advance(10_000);
    expect(await t.services.refundLedger.retryProcessing()).toBe(1);
    expect((await m.terminal.get(`/v1/refunds/${refund.id}`)).body.status).toBe('succeeded');
    expect(await sandboxOps(t, refund.id)).toBe(1);
    expect((await saleRow(t, refund.sale_id)).refunded_amount).toBe(5_000);
    // Once more finds nothing to do, and journals nothing more.
    t.clock.advance(10_000);
    await t.services.refundLedger.retryProcessing();
    expect(await sandboxOps(t, refund.id)).toBe(1);
  });
});
