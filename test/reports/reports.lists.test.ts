// Issue 13 item 5: the back office's transaction lists. Cursor pages walk every row exactly once, also when many rows
// share one created_at; every filter narrows as documented; a manager sees only their stores and nobody sees another
// merchant's rows; a bad filter is 400 with the envelope and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/lib/clock.js';
import { createStaffUser } from '../auth/auth-helpers.js';
import { CARDS, card, QR_CODES, qr, refundWithKey } from '../core/core-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('transaction lists: pages, filters, store scope [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let other: SeededMerchant;
  let owner: StaffClient;
  let posA: TerminalClient; // store A
  let posB: TerminalClient; // store B
  const saleIds: string[] = [];
  let wechatSaleId: string;
  let visaSaleId: string;
  let refundId: string;
  let refundedSaleId: string;
  let otherSaleId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    other = await t.seedMerchant();
    owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    posA = m.terminals.find((x) => x.storeId === m.demo.stores[0]?.id) as TerminalClient;
    posB = m.terminals.find((x) => x.storeId === m.demo.stores[1]?.id) as TerminalClient;
    // 24 sales at one instant (ties on created_at), then a few a minute apart, in two stores.
    for (let i = 0; i < 24; i++) saleIds.push((await posA.sale(1_000 + i)).id);
    t.clock.advance(MINUTE);
    visaSaleId = (await posA.sale(12_345, card(CARDS.visa))).id;
    saleIds.push(visaSaleId);
    t.clock.advance(MINUTE);
    wechatSaleId = (await posB.sale(2_000, qr('wechat', QR_CODES.wechat()))).id;
    saleIds.push(wechatSaleId);
    saleIds.push((await posB.sale(3_000, qr('alipay', QR_CODES.alipay()))).id);
    t.clock.advance(MINUTE);
    refundedSaleId = (await posB.sale(50_000)).id;
    saleIds.push(refundedSaleId);
    const refunded = await refundWithKey(m, posB, refundedSaleId, 1_500);
    expect(refunded.authorized?.body.status).toBe('succeeded');
    refundId = refunded.created.body.id;
    otherSaleId = (await other.terminal.sale(777)).id;
  });
  afterAll(async () => t?.close());

  async function walk(client: StaffClient, url: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let after = '';
    for (let pages = 0; pages < 100; pages++) {
      const sep = url.includes('?') ? '&' : '?';
      const answer = await client.get(`${url}${sep}limit=${limit}${after ? `&starting_after=${after}` : ''}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.data.length).toBeLessThanOrEqual(limit);
      seen.push(...answer.body.data.map((x: { id: string }) => x.id));
      if (!answer.body.has_more) return seen;
      after = answer.body.data.at(-1).id;
    }
    throw new Error('more than 100 pages');
  }

  it('pages of 5 walk every sale exactly once, newest first, although 24 share one created_at', async () => {
    const seen = await walk(owner, '/v1/sales', 5);
    expect(seen).toHaveLength(saleIds.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...saleIds].sort());
    expect(seen).not.toContain(otherSaleId);
    // Newest first, ties by id descending: the 24 simultaneous sales come last, in descending id order.
    const tied = seen.slice(-24);
    expect(tied).toEqual([...tied].sort().reverse());
    // A page size that divides the rows exactly ends with has_more false on the last full page.
    expect(await walk(owner, '/v1/sales', saleIds.length)).toHaveLength(saleIds.length);
  });

  it('each filter narrows the sales list', async () => {
    const ids = async (q: string) => (await walk(owner, `/v1/sales?${q}`, 100)).sort();
    const storeA = m.demo.stores[0]?.id as string;
    expect(await ids(`store_id=${storeA}`)).toHaveLength(25);
    expect(await ids(`terminal_id=${posB.id}`)).toHaveLength(3);
    expect(await ids('method=wechat')).toEqual([wechatSaleId]);
    expect(await ids('method=alipay')).toHaveLength(1);
    expect(await ids('method=card')).toHaveLength(26);
    expect(await ids('method=cash')).toEqual([]);
    expect(await ids('card_last4=4242')).toEqual([visaSaleId]);
    expect(await ids('amount_min=12345&amount_max=12345')).toEqual([visaSaleId]);
    expect(await ids('amount_min=1000&amount_max=1004')).toHaveLength(5);
    expect(await ids(`reference=${wechatSaleId}`)).toEqual([wechatSaleId]);
    expect(await ids(`reference=${otherSaleId}`)).toEqual([]);
    expect(await ids('status=declined')).toEqual([]);
    // The 24 tied sales are at the clock's start; the rest one minute or more later.
    const start = new Date(Date.parse('2026-11-25T02:00:00Z'));
    expect(await ids(`created_from=${new Date(start.getTime() + MINUTE).toISOString()}`)).toHaveLength(4);
    expect(await ids(`created_to=${new Date(start.getTime() + MINUTE).toISOString()}`)).toHaveLength(24);
    const operatorId = (await owner.get(`/v1/sales?reference=${visaSaleId}`)).body.data[0].operator_id;
    expect(await ids(`operator_id=${operatorId}`)).toHaveLength(25);
  });

  it('the refunds list finds a refund by its own or its sale reference, by the sale method and card', async () => {
    const ids = async (q: string) => (await walk(owner, `/v1/refunds?${q}`, 100)).sort();
    expect(await ids('')).toEqual([refundId]);
    expect(await ids(`reference=${refundedSaleId}`)).toEqual([refundId]);
    expect(await ids(`reference=${refundId}`)).toEqual([refundId]);
    expect(await ids('method=card&card_last4=0007')).toEqual([refundId]);
    expect(await ids('method=wechat')).toEqual([]);
    expect(await ids('amount_min=1501')).toEqual([]);
    expect(await ids('status=succeeded&type=refund')).toEqual([refundId]);
  });

  it('a manager of store A sees only store A; another merchant sees none of it', async () => {
    const storeA = m.demo.stores[0]?.id as string;
    const storeB = m.demo.stores[1]?.id as string;
    const manager = await StaffClient.signIn(
      t,
      ...(await (async () => {
        const u = await createStaffUser(t, m.demo.merchant_id, 'manager', { storeIds: [storeA] });
        return [u.login, u.password] as const;
      })()),
    );
    const seen = await walk(manager, '/v1/sales', 10);
    expect(seen).toHaveLength(25);
    expect(seen).not.toContain(wechatSaleId);
    expect(await walk(manager, `/v1/sales?store_id=${storeB}`, 10)).toEqual([]);
    expect(await walk(manager, '/v1/refunds', 10)).toEqual([]);
    const theirs = await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
    expect(await walk(theirs, '/v1/sales', 50)).toEqual([otherSaleId]);
    const foreignCursor = await theirs.get(`/v1/sales?starting_after=${wechatSaleId}`);
    expect(foreignCursor.status).toBe(400);
    expect(foreignCursor.body.error.code).toBe('VALIDATION_FAILED');
    const csv = await rawGet(theirs, '/v1/sales/export.csv');
    expect(csv.body).not.toContain(wechatSaleId);
  });

  it('bad filters answer 400 VALIDATION_FAILED and change nothing', async () => {
    const before = await t.checksum();
    for (const q of [
      'amount_min=500&amount_max=100',
      'method=bitcoin',
      'card_last4=12a4',
      'card_last4=12345',
      'amount_min=-1',
      'limit=0',
      'limit=101',
      'colour=red',
      'created_from=yesterday',
      'created_from=2026-11-26T00:00:00Z&created_to=2026-11-25T00:00:00Z',
    ]) {
      for (const path of ['/v1/sales', '/v1/refunds', '/v1/sales/export.csv']) {
        const answer = await owner.get(`${path}?${q}`);
        expect(answer.status, `${path}?${q}`).toBe(400);
        expect(answer.body.error.code, `${path}?${q}`).toBe('VALIDATION_FAILED');
        expect(typeof answer.body.error.message).toBe('string');
      }
    }
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('a cashier may not list or export (403 FORBIDDEN)', async () => {
    const cashier = await StaffClient.signIn(
      t,
      ...(await (async () => {
        const u = await createStaffUser(t, m.demo.merchant_id, 'cashier');
        return [u.login, u.password] as const;
      })()),
    );
    for (const path of ['/v1/sales', '/v1/refunds', '/v1/sales/export.csv', '/v1/settlements', '/v1/reports/alerts']) {
      const answer = await cashier.get(path);
      expect(answer.status, path).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('the CSV export holds the filtered rows: yuan with 2 decimals, Beijing time, card masked, both languages', async () => {
    const answer = await rawGet(owner, `/v1/sales/export.csv?store_id=${m.demo.stores[0]?.id}&amount_min=12000`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(answer.headers['content-disposition'])).toContain('attachment');
    expect(answer.body.startsWith('\uFEFF')).toBe(true);
    const lines = answer.body.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('交易号 Reference');
    expect(lines[0]).toContain('金额(元) Amount (CNY)');
    const cells = (lines[1] as string).split(',');
    expect(cells[0]).toBe(visaSaleId);
    expect(cells[1]).toBe('2026-11-25 10:01:00'); // 02:01 UTC
    expect(cells[5]).toBe('card');
    expect(cells[6]).toMatch(/^4242\*+4242$|^\*+4242$|4242$/);
    expect(answer.body).not.toContain(CARDS.visa);
    expect(cells[7]).toBe('123.45');
    expect(cells[8]).toBe('0.00');
    const all = await rawGet(owner, '/v1/sales/export.csv');
    expect(all.body.trimEnd().split('\r\n')).toHaveLength(saleIds.length + 1);
    const refunds = await rawGet(owner, `/v1/refunds/export.csv?reference=${refundedSaleId}`);
    const refundLines = refunds.body.slice(1).trimEnd().split('\r\n');
    expect(refundLines).toHaveLength(2);
    expect(refundLines[1]).toContain(`${refundId},${refundedSaleId},refund,`);
    expect(refundLines[1]).toContain(',15.00,');
  });

  it('a reason typed like a formula is written as text in the CSV', async () => {
    const sale = await posA.sale(900);
    const created = await posA.post('/v1/refunds', { sale_id: sale.id, amount: 100, reason: '=HYPERLINK("x")' });
    expect(created.status).toBe(201);
    const csv = await rawGet(owner, `/v1/refunds/export.csv?reference=${created.body.id}`);
    expect(csv.body).toContain(`"'=HYPERLINK(""x"")"`);
  });

  async function rawGet(client: StaffClient, url: string) {
    const response = await t.app.server.inject({ method: 'GET', url, headers: client.headers({ csrf: false }) });
    const body = response.body;
    return {
      status: response.statusCode,
      headers: response.headers,
      body: String(response.headers['content-type']).includes('json') ? JSON.parse(body) : body,
    };
  }
});
