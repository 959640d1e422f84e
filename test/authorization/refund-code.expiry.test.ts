// docs/security.md "Refund authorization" — Lifetime: 5 minutes (NIST 800-63B OOB; PSD2 Art. 4), at its exact boundary
// with a controllable clock; a refund not authorized in time expires by itself (PRODUCT.md item 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { codeOf, KEY_AND_CODE, startRefund } from './authz-helpers.js';

const LIFETIME = 5 * 60_000;
/** What expiring a waiting refund changes: the refund, the sale whose reservation and the daily usage it releases. */
const EXPIRED_TABLES = ['refund_daily_usage', 'refunds', 'sales'];

describe.each(DIALECTS)('refund code expiry [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('is accepted 1 s before its expiry', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    t.clock.advance(LIFETIME - 1_000);
    const answer = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('succeeded');
  });

  it('is refused 1 s after its expiry, and the waiting refund expires with its reservation released', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    t.clock.advance(LIFETIME + 1_000);
    const before = await t.checksum();
    const answer = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code });
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('REFUND_EXPIRED');
    // By design the late request finds the refund expired and expires it: the refund, its reservation on the sale and
    // its share of the daily caps change; nothing else (no authorization, no money moved).
    expect(await t.changedSince(before)).toEqual(EXPIRED_TABLES);
    const view = await m.terminal.get(`/v1/refunds/${refund.id}`);
    expect(view.body.status).toBe('expired');
    const sale = await m.terminal.get(`/v1/sales/${refund.sale_id}`);
    expect(sale.body.refundable_amount).toBe(KEY_AND_CODE);
  });

  it('the sweeper expires refunds whose code lifetime ran out, and a resend extends it', async () => {
    const lapsing = await startRefund(m.terminal, KEY_AND_CODE);
    const resent = await startRefund(m.terminal, KEY_AND_CODE);
    t.clock.advance(4 * 60_000);
    expect((await m.terminal.post(`/v1/refunds/${resent.id}/resend-code`)).status).toBe(200);
    t.clock.advance(2 * 60_000);
    const expired = await t.services.refundLedger.expireDue();
    expect(expired.map((r) => r.id)).toContain(lapsing.id);
    expect(expired.map((r) => r.id)).not.toContain(resent.id);
    const done = await m.terminal.post(`/v1/refunds/${resent.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(t, resent.id),
    });
    expect(done.body.status).toBe('succeeded');
  });

  it('a key-only refund expires after 15 minutes of inactivity', async () => {
    const refund = await startRefund(m.terminal, 5_000);
    expect(Date.parse(refund.expires_at) - t.clock.now()).toBe(15 * 60_000);
    t.clock.advance(15 * 60_000);
    const expired = await t.services.refundLedger.expireDue();
    expect(expired.map((r) => r.id)).toContain(refund.id);
  });
});

// docs/security.md "Refund authorization": 8 digits configurable, a lifetime of 1..10 minutes.
describe.each(DIALECTS)('refund code configured shape and lifetime [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect, { env: { REFUND_CODE_DIGITS: '8', REFUND_CODE_TTL_MINUTES: '2' } });
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('issues 8-digit codes living 2 minutes', async () => {
    const refund = await startRefund(m.terminal, KEY_AND_CODE);
    const code = await codeOf(t, refund.id);
    expect(code).toMatch(/^\d{8}$/);
    expect(Date.parse(String(refund.authorization.code_expires_at)) - t.clock.now()).toBe(2 * 60_000);
    t.clock.advance(2 * 60_000);
    const before = await t.checksum();
    const late = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key, code });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('REFUND_EXPIRED');
    expect(await t.changedSince(before)).toEqual(EXPIRED_TABLES);
  });
});
