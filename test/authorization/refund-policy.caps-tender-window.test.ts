// Issue 3 item 5 and docs/security.md "Refunds and money": daily caps per operator and per store (amount and count),
// refunds to the original tender only unless the store's policy allows cash, a cash refund cap, and refund windows
// per method — each refuses with its code, and a refused request changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../src/modules/authorization/refund-policy.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import type { StaffClient } from '../support/staff-client.js';
import { CASH, type SeededMerchant, TestApp } from '../support/test-app.js';
import { ownerSession, setPolicy, startRefund } from './authz-helpers.js';

describe('daily caps count per Beijing day', () => {
  it('a day starts at 00:00 Asia/Shanghai (16:00 UTC)', () => {
    expect(shanghaiDay(Date.parse('2026-11-25T15:59:59.999Z'))).toBe('2026-11-25');
    expect(shanghaiDay(Date.parse('2026-11-25T16:00:00.000Z'))).toBe('2026-11-26');
  });
});

describe.each(DIALECTS)('refund policy caps, tender and windows [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let owner: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    owner = await ownerSession(t, m.demo);
  });
  afterAll(async () => t?.close());

  const refund = (amount: number, saleId: string, extra: Record<string, unknown> = {}) =>
    m.terminal.post('/v1/refunds', { sale_id: saleId, amount, reason: 'cap test', ...extra });

  it('the operator daily count cap refuses with a code, changes nothing, and a canceled refund gives its place back', async () => {
    await setPolicy(owner, m.terminal.storeId, { caps: { operator_daily_count: 2 } });
    const first = await startRefund(m.terminal, 1_000);
    await startRefund(m.terminal, 1_000);
    const sale = await m.terminal.sale(1_000);
    const before = await t.checksum();
    const third = await refund(1_000, sale.id);
    expect(third.status).toBe(422);
    expect(third.body.error.code).toBe('OPERATOR_DAILY_COUNT_EXCEEDED');
    expect(await t.changedSince(before)).toEqual([]);
    expect((await m.terminal.post(`/v1/refunds/${first.id}/cancel`)).status).toBe(200);
    expect((await refund(1_000, sale.id)).status).toBe(201);
    // The count is per day (Asia/Shanghai): yesterday's refunds of the same operator do not count today.
    const usage = await t.db
      .selectFrom('refund_daily_usage')
      .selectAll()
      .where('scope', 'like', 'operator:%')
      .execute();
    expect(usage.map((u) => u.day)).toEqual([new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10)]);
  });

  it('the store daily amount cap counts every operator and terminal of the store', async () => {
    const used = await t.db
      .selectFrom('refund_daily_usage')
      .select('amount')
      .where('scope', '=', `store:${m.terminal.storeId}`)
      .executeTakeFirst();
    const cap = Number(used?.amount ?? 0) + 10_000;
    await setPolicy(owner, m.terminal.storeId, { caps: { store_daily_amount: cap } });
    const second = m.terminals[1];
    if (!second) throw new Error('seed has two terminals per store');
    await startRefund(m.terminal, 6_000);
    const sale = await second.sale(5_000);
    const before = await t.checksum();
    const over = await second.post('/v1/refunds', { sale_id: sale.id, amount: 5_000, reason: 'cap' });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'STORE_DAILY_AMOUNT_EXCEEDED', limit: cap });
    expect(await t.changedSince(before)).toEqual([]);
    // Exactly up to the cap is allowed.
    expect((await second.post('/v1/refunds', { sale_id: sale.id, amount: 4_000, reason: 'cap' })).status).toBe(201);
  });

  it('concurrent refunds never pass a daily cap together', async () => {
    const other = m.terminals[2];
    if (!other) throw new Error('seed has a second store');
    await setPolicy(owner, other.storeId, { caps: { operator_daily_amount: 5_000 } });
    const sales = await Promise.all(Array.from({ length: 8 }, () => other.sale(1_000)));
    const answers = await Promise.all(
      sales.map((s) => other.post('/v1/refunds', { sale_id: s.id, amount: 1_000, reason: 'cap' })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    // Exactly: the three over the cap are refused with its code, and nothing else (no 5xx, no other refusal).
    expect(tally(answers)).toEqual({ '201': 5, '422 OPERATOR_DAILY_AMOUNT_EXCEEDED': 3 });
  });

  it('refunds go to the original tender unless the policy allows cash, within the cash refund cap', async () => {
    await setPolicy(owner, m.terminal.storeId, {});
    const card = await m.terminal.sale(8_000);
    const sold = await t.checksum();
    const refused = await refund(8_000, card.id, { refund_to: 'cash' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('REFUND_TENDER_NOT_ALLOWED');
    expect(await t.changedSince(sold)).toEqual([]);
    expect((await refund(1_000, card.id, { refund_to: 'original' })).status).toBe(201);

    await setPolicy(owner, m.terminal.storeId, { original_tender_only: false, cash_refund_cap: 3_000 });
    const capped = await t.checksum();
    const overCap = await refund(5_000, card.id, { refund_to: 'cash' });
    expect(overCap.status).toBe(422);
    expect(overCap.body.error.code).toBe('CASH_REFUND_CAP_EXCEEDED');
    expect(await t.changedSince(capped)).toEqual([]);
    const cash = await refund(3_000, card.id, { refund_to: 'cash' });
    expect(cash.status).toBe(201);
    const done = await m.terminal.post(`/v1/refunds/${cash.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(done.body.status).toBe('succeeded');
    const row = await t.db
      .selectFrom('refunds')
      .select('method')
      .where('id', '=', cash.body.id)
      .executeTakeFirstOrThrow();
    expect(row.method).toBe('cash');
    // The cash cap applies to cash sales too.
    const cashSale = await m.terminal.sale(4_000, CASH(5_000));
    const cashSold = await t.checksum();
    const overCashCap = await refund(4_000, cashSale.id);
    expect(overCashCap.status).toBe(422);
    expect(overCashCap.body.error.code).toBe('CASH_REFUND_CAP_EXCEEDED');
    expect(await t.changedSince(cashSold)).toEqual([]);
  });

  it('refund windows per method come from the store policy', async () => {
    await setPolicy(owner, m.terminal.storeId, { windows_days: { bank_card: 0, qr: 365, order: 365, cash: 30 } });
    const card = await m.terminal.sale(2_000);
    t.clock.advance(1);
    const before = await t.checksum();
    const late = await refund(2_000, card.id);
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('REFUND_WINDOW_EXPIRED');
    expect(await t.changedSince(before)).toEqual([]);
    await setPolicy(owner, m.terminal.storeId, {});
    expect((await refund(2_000, card.id)).status).toBe(201);
  });
});
