// docs/security.md "Refund authorization" — Binding: valid only for its refund: amount, sale, terminal; any change
// invalidates it (PSD2 RTS Art. 5; ASVS 5.0 6.6.2).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRefund } from '../../src/modules/refunds/refunds.repository.js';
import { DIALECTS } from '../support/databases.js';
import { seededRandom } from '../support/seeded-random.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { codeOf, KEY_AND_CODE, startRefund } from './authz-helpers.js';

describe.each(DIALECTS)('refund code binding [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    // Seeded, so that two refunds' codes are known to differ (a CSPRNG repeats one in 10^6 runs).
    t = await TestApp.start(dialect, { random: seededRandom(3) });
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  const refundRow = async (id: string) => {
    const found = await findRefund(t.db, id, m.demo.merchant_id);
    if (!found) throw new Error(`no refund ${id}`);
    return found;
  };

  it('a code of refund A is refused for refund B', async () => {
    const a = await startRefund(m.terminal, KEY_AND_CODE);
    const b = await startRefund(m.terminal, KEY_AND_CODE);
    const codeA = await codeOf(t, a.id);
    const codeB = await codeOf(t, b.id);
    expect(codeA).not.toBe(codeB);
    const before = await t.checksum();
    const crossed = await m.terminal.post(`/v1/refunds/${b.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: codeA,
    });
    expect(crossed.status).toBe(422);
    expect(crossed.body.error.code).toBe('CODE_INVALID');
    // Refused: nothing but the wrong-entry counters (and the audit log) changed.
    expect(await t.changedSince(before)).toEqual([]);
    // A's own code still completes A.
    const own = await m.terminal.post(`/v1/refunds/${a.id}/authorize`, { refund_key: m.demo.refund_key, code: codeA });
    expect(own.body.status).toBe('succeeded');
  });

  it('a changed amount invalidates the code', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    // Someone alters the waiting refund's amount behind the API's back.
    await t.db
      .updateTable('refunds')
      .set({ amount: KEY_AND_CODE - 100 })
      .where('id', '=', refund.id)
      .execute();
    const before = await t.checksum();
    const answer = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('CODE_INVALID');
    expect(await t.changedSince(before)).toEqual([]);
    const row = await refundRow(refund.id);
    expect(await t.services.refundCodes.check({ ...row, amount: KEY_AND_CODE }, m.terminal.id, code)).toMatchObject({
      kind: 'match',
    });
  });

  it('a code is refused from another terminal, and its digest does not match another terminal id or sale', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    const other = m.terminals[1];
    if (!other) throw new Error('seed has a second terminal');
    const before = await t.checksum();
    const fromOther = await other.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code });
    expect(fromOther.status).toBe(403);
    expect(fromOther.body.error.code).toBe('REFUND_OTHER_TERMINAL');
    expect(await t.changedSince(before)).toEqual([]);
    const row = await refundRow(refund.id);
    expect(await t.services.refundCodes.check(row, other.id, code)).toEqual({ kind: 'mismatch' });
    expect(await t.services.refundCodes.check({ ...row, sale_id: 'sal_other' }, m.terminal.id, code)).toEqual({
      kind: 'mismatch',
    });
    const done = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code });
    expect(done.body.status).toBe('succeeded');
  });

  it('stores only an HMAC of the code', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    const rows = await t.db.selectFrom('refund_codes').selectAll().where('refund_id', '=', refund.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(code);
  });
});
