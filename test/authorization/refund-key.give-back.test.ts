// docs/security.md "Attempt limits": a refund key attempt is counted before it is verified, and a right key gives its
// claim back. The give-back happens in the transaction that moves the refund on (refund-progress.ts), so when that
// transaction fails, nothing of it remains and the claim is given back in a transaction of its own: a right key is
// never left counted against the terminal, whatever failed after it was verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { failUpdates } from '../support/db-faults.js';
import { TestApp } from '../support/test-app.js';
import { startRefund } from './authz-helpers.js';

describe.each(DIALECTS)('a right refund key gives its attempt back [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('when the transaction that moves the refund on fails, the right key is still not counted', async () => {
    const m = await t.seedMerchant();
    const refund = await startRefund(m.terminal, 5_000);
    const url = `/v1/refunds/${refund.id}/authorize`;
    const wrong = await m.terminal.post(url, { refund_key: 'wrong-key-123' });
    expect(wrong.body.error).toMatchObject({ code: 'REFUND_KEY_INVALID', attempts_left: 4 });

    const restore = await failUpdates(t, {
      table: 'refunds',
      column: 'status',
      value: 'processing',
      message: 'disk full (test)',
    });
    let failed: Awaited<ReturnType<typeof m.terminal.post>>;
    try {
      failed = await m.terminal.post(url, { refund_key: m.demo.refund_key });
    } finally {
      await restore();
    }
    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe('INTERNAL_ERROR');
    const waiting = await m.terminal.get(`/v1/refunds/${refund.id}`);
    expect(waiting.body.status).toBe('requires_authorization');

    // The right key cleared the consecutive wrong ones: the next wrong key is the first again, not the third.
    const again = await m.terminal.post(url, { refund_key: 'wrong-key-123' });
    expect(again.body.error).toMatchObject({ code: 'REFUND_KEY_INVALID', attempts_left: 4 });
    const pending = await t.db.selectFrom('attempt_limits').select(['scope', 'pending']).execute();
    expect(pending.filter((row) => Number(row.pending) !== 0)).toEqual([]);

    const right = await m.terminal.post(url, { refund_key: m.demo.refund_key });
    expect(right.status).toBe(200);
    expect(right.body.status).toBe('succeeded');
  });
});
