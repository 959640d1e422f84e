// Issue 13 items 5 and 6: settlement batches in the back office, the dashboard's summary per Beijing day, and its
// alerts, whose unlock path really ends the lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/lib/clock.js';
import { createStaffUser } from '../auth/auth-helpers.js';
import { QR_CODES, qr, refundWithKey } from '../core/core-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('settlement batches, dashboard summary and alerts [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let other: SeededMerchant;
  let owner: StaffClient;
  let posA: TerminalClient;
  let posB: TerminalClient;
  let closedBatchId: string;
  let openBatchId: string;

  beforeAll(async () => {
    // 2026-11-30 23:30 Beijing (15:30 UTC): the first sales fall on the 30th, the later ones on 1 December.
    const { ManualClock } = await import('../../src/lib/clock.js');
    t = await TestApp.start(dialect, { clock: new ManualClock(Date.parse('2026-11-30T15:30:00Z')) });
    m = await t.seedMerchant();
    other = await t.seedMerchant();
    posA = m.terminals.find((x) => x.storeId === m.demo.stores[0]?.id) as TerminalClient;
    posB = m.terminals.find((x) => x.storeId === m.demo.stores[1]?.id) as TerminalClient;
    const first = await posA.sale(10_000); // 30 Nov, card
    closedBatchId = first.batch_id;
    await posA.sale(5_000, qr('wechat', QR_CODES.wechat())); // 30 Nov, wechat
    const settled = await posA.post('/v1/settlements', {});
    expect(settled.status).toBe(201);
    t.clock.advance(HOUR); // 00:30 on 1 December in Beijing, still 30 November in UTC
    const late = await posA.sale(20_000); // 1 Dec, card, a new batch
    openBatchId = late.batch_id;
    const refunded = await refundWithKey(m, posA, late.id, 4_000);
    expect(refunded.authorized?.body.status).toBe('succeeded');
    await posB.sale(1_000, qr('alipay', QR_CODES.alipay())); // 1 Dec, store B
    await other.terminal.sale(99_999);
    // Signed in after the clock moved (a back-office session ends after idling).
    owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
  });
  afterAll(async () => t?.close());

  it('lists batches newest first with the closed one’s report, and shows an open batch’s sales so far', async () => {
    const list = await owner.get('/v1/settlements?limit=100');
    expect(list.status).toBe(200);
    const ids = list.body.data.map((b: { id: string }) => b.id);
    expect(ids).toContain(closedBatchId);
    expect(ids).toContain(openBatchId);
    expect(ids.indexOf(openBatchId)).toBeLessThan(ids.indexOf(closedBatchId));
    const closed = await owner.get(`/v1/settlements/${closedBatchId}`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', terminal_id: posA.id, store_id: posA.storeId });
    expect(closed.body.report.totals.sales).toEqual({ count: 2, amount: 15_000 });
    const open = await owner.get(`/v1/settlements/${openBatchId}`);
    expect(open.body).toMatchObject({ status: 'open', report: null, open_sales: { count: 1, amount: 20_000 } });
    expect((await owner.get('/v1/settlements?status=closed')).body.data.map((b: { id: string }) => b.id)).toEqual([
      closedBatchId,
    ]);
    // Pages of one walk every batch once.
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const page = await owner.get(`/v1/settlements?limit=1${after ? `&starting_after=${after}` : ''}`);
      seen.push(...page.body.data.map((b: { id: string }) => b.id));
      if (!page.body.has_more) break;
      after = page.body.data[0].id;
    }
    expect(seen).toEqual(ids);
  });

  it('a manager of store B and another merchant do not find store A’s batch (404)', async () => {
    const u = await createStaffUser(t, m.demo.merchant_id, 'manager', { storeIds: [posB.storeId] });
    const manager = await StaffClient.signIn(t, u.login, u.password);
    const theirs = await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
    for (const client of [manager, theirs]) {
      const answer = await client.get(`/v1/settlements/${closedBatchId}`);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('NOT_FOUND');
      const list = await client.get('/v1/settlements?limit=100');
      expect(list.body.data.map((b: { id: string }) => b.id)).not.toContain(closedBatchId);
    }
  });

  it('the summary counts per Beijing day, by method, operator and reason, with the refund rate', async () => {
    const answer = await owner.get('/v1/reports/summary?from=2026-11-30&to=2026-12-02');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const s = answer.body;
    expect(s.days.map((d: { date: string }) => d.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
    expect(s.days[0]).toMatchObject({ sales: { count: 2, amount: 15_000 }, refunds: { count: 0, amount: 0 } });
    expect(s.days[1]).toMatchObject({
      sales: { count: 2, amount: 21_000 },
      refunds: { count: 1, amount: 4_000 },
      refund_rate: 0.1905,
    });
    expect(s.days[2]).toMatchObject({ sales: { count: 0, amount: 0 }, refund_rate: 0 });
    expect(s.totals).toEqual({
      sales: { count: 4, amount: 36_000 },
      refunds: { count: 1, amount: 4_000 },
      refund_rate: 0.1111,
    });
    expect(s.by_method).toEqual([
      { method: 'card', count: 2, amount: 30_000 },
      { method: 'wechat', count: 1, amount: 5_000 },
      { method: 'alipay', count: 1, amount: 1_000 },
    ]);
    expect(s.by_reason).toEqual([{ reason: '顾客退货 test', count: 1, amount: 4_000 }]);
    const opA = s.by_operator.find((o: { sales: { amount: number } }) => o.sales.amount === 35_000);
    expect(opA).toMatchObject({ operator_no: m.demo.stores[0]?.operators[0]?.operator_no, refunds: { count: 1 } });
    // One store only.
    const storeB = await owner.get(`/v1/reports/summary?from=2026-11-30&to=2026-12-02&store_id=${posB.storeId}`);
    expect(storeB.body.totals.sales).toEqual({ count: 1, amount: 1_000 });
  });

  it('a bad or too long summary range is refused and changes nothing', async () => {
    const before = await t.checksum();
    const cases: [string, number, string][] = [
      ['from=2026-12-02&to=2026-11-30', 400, 'VALIDATION_FAILED'],
      ['from=2026-12-01', 400, 'VALIDATION_FAILED'],
      ['from=2026-13-01&to=2026-12-01', 400, 'VALIDATION_FAILED'],
      ['from=2026-01-01&to=2026-12-01', 400, 'RANGE_TOO_LONG'],
    ];
    for (const [q, status, code] of cases) {
      const answer = await owner.get(`/v1/reports/summary?${q}`);
      expect(answer.status, q).toBe(status);
      expect(answer.body.error.code, q).toBe(code);
    }
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('alerts list an operator lockout with the route that ends it; that route ends it', async () => {
    const operator = m.demo.stores[1]?.operators[0];
    if (!operator) throw new Error('demo store without operator');
    for (let i = 0; i < 5; i++) {
      await posB.post('/v1/operator-sessions', { operator_no: operator.operator_no, password: '000000' });
    }
    const alerts = await owner.get('/v1/reports/alerts');
    expect(alerts.status).toBe(200);
    const lock = alerts.body.lockouts.find((l: { kind: string }) => l.kind === 'operator_pin');
    const posName = (
      await t.db.selectFrom('terminals').select('name').where('id', '=', posB.id).executeTakeFirstOrThrow()
    ).name;
    expect(lock).toMatchObject({
      subject: `${posB.id}:${operator.operator_no}`,
      // What the page shows instead of the internal id.
      terminal_name: posName,
      operator_no: operator.operator_no,
      unlock: { method: 'POST', path: `/v1/terminals/${posB.id}/operator-lock/unlock` },
    });
    await owner.reauth();
    expect((await owner.post(lock.unlock.path)).status).toBe(200);
    const after = await owner.get('/v1/reports/alerts');
    expect(after.body.lockouts.filter((l: { subject: string }) => l.subject.startsWith(posB.id))).toEqual([]);
    // Another merchant's owner sees none of it; a manager is not shown the merchant's alerts.
    const theirs = await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
    expect((await theirs.get('/v1/reports/alerts')).body.lockouts).toEqual([]);
    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const refused = await manager.get('/v1/reports/alerts');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });
});
