// Issue 9: on PostgreSQL a card sale through the sandbox is one statement that commits on its own, into the batch the
// terminal last had open (a guess it checks and holds), when the merchant has no webhook endpoint; otherwise it is
// booked in a transaction as before (docs/architecture.md "A sale in one statement"). These prove that the guess is
// never trusted: a settlement closing the batch, before or during a burst of sales, and an endpoint added since, each
// send the sale the long way with nothing of the short one left behind. The same journeys run on SQLite, which always
// takes the long way, so both databases answer alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { statementsOf } from '../support/statements.js';
import { type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';
import { CARDS, card, sandboxOps } from './core-helpers.js';

const AMOUNT = 1_234;

describe.each(DIALECTS)('a sale in one statement [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let pos: TerminalClient;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    pos = m.terminal;
    await pos.sale(AMOUNT); // the terminal's batch is now known to this process
  });
  afterAll(async () => {
    await t?.close();
  });

  async function salesOfTerminal(terminalId: string) {
    return t.db.selectFrom('sales').selectAll().where('terminal_id', '=', terminalId).execute();
  }

  it('a sale on a terminal whose batch is known: on PostgreSQL one statement after the sign-in check', async () => {
    const { answer, statements } = await statementsOf(t, () => pos.sale(AMOUNT));
    expect(answer).toMatchObject({ status: 'succeeded', amount: AMOUNT, refundable_amount: AMOUNT });
    if (dialect === 'postgres') {
      expect(statements).toHaveLength(2);
      expect(statements[1]).toMatch(/^with held as \(update "batches"/);
    } else {
      expect(statements).toContain('begin immediate');
    }
    const read = await pos.get(`/v1/sales/${answer.id}`);
    expect(read.body).toMatchObject({ ...answer, refunds: [] });
    expect(await sandboxOps(t, answer.id)).toBe(1);
  });

  it('a declined card answers its code, and a replay of its key answers the same without a second charge', async () => {
    const body = { amount: AMOUNT, currency: 'CNY', payment_method: card(CARDS.insufficientVisa) };
    const first = await pos.post('/v1/sales', body, { idempotencyKey: `declined-${dialect}` });
    expect(first.body).toMatchObject({ status: 'declined', decline_code: 'insufficient_funds', refundable_amount: 0 });
    const again = await pos.post('/v1/sales', body, { idempotencyKey: `declined-${dialect}` });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(await sandboxOps(t, first.body.id)).toBe(1);
  });

  it('8 simultaneous requests with one key: one sale, one charge, eight identical answers', async () => {
    const before = (await salesOfTerminal(pos.id)).length;
    const body = { amount: AMOUNT, currency: 'CNY', payment_method: card(CARDS.unionpayDebit) };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => pos.post('/v1/sales', body, { idempotencyKey: `burst-${dialect}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect((await salesOfTerminal(pos.id)).length).toBe(before + 1);
    expect(await sandboxOps(t, answers[0]?.body.id)).toBe(1);
  });

  it('a settlement closes the known batch: the next sale books into the new batch, each settlement counts its own', async () => {
    await pos.post('/v1/settlements');
    const first = await pos.sale(AMOUNT);
    const closing = await pos.post('/v1/settlements');
    expect(closing.status).toBe(201);
    expect(closing.body.id).toBe(first.batch_id);
    expect(closing.body.totals.sales).toEqual({ count: 1, amount: AMOUNT });
    // The process still guesses the closed batch: the sale must not land there.
    const next = await pos.sale(AMOUNT);
    expect(next.batch_id).not.toBe(first.batch_id);
    const rows = await salesOfTerminal(pos.id);
    expect(rows.filter((r) => r.batch_id === first.batch_id).map((r) => r.id)).toEqual([first.id]);
    expect(await sandboxOps(t, next.id)).toBe(1);
  });

  it('30 sales racing a settlement: every sale is counted by exactly one of the two settlements', async () => {
    const terminal = m.terminals[1] as TerminalClient;
    await terminal.sale(AMOUNT);
    await terminal.post('/v1/settlements'); // a known, empty-again batch to start from
    await terminal.sale(AMOUNT);
    const sales = Array.from({ length: 30 }, () => terminal.sale(AMOUNT));
    const racing = terminal.post('/v1/settlements');
    const booked = await Promise.all(sales);
    const midway = await racing;
    const last = await terminal.post('/v1/settlements', { allow_empty: true });
    expect([midway.status, last.status]).toEqual([201, 201]);
    const counted = midway.body.totals.sales.count + last.body.totals.sales.count;
    expect(counted).toBe(31);
    const closed = new Set([midway.body.id, last.body.id]);
    for (const sale of booked) expect(closed.has(sale.batch_id)).toBe(true);
    const open = await t.db
      .selectFrom('sales')
      .innerJoin('batches', 'batches.id', 'sales.batch_id')
      .select('sales.id')
      .where('sales.terminal_id', '=', terminal.id)
      .where('batches.status', '=', 'open')
      .execute();
    expect(open).toEqual([]);
  });

  it('an endpoint added after the batch is known: the next sale still queues its sale.succeeded webhook', async () => {
    const terminal = m.terminals[2] as TerminalClient;
    await terminal.sale(AMOUNT);
    await t.services.webhooks.createEndpoint({ merchantId: m.demo.merchant_id, url: 'http://127.0.0.1:9/hooks' });
    const { answer, statements } = await statementsOf(t, () => terminal.sale(AMOUNT));
    const hooks = await t.db.selectFrom('outbox').selectAll().where('channel', '=', 'webhook').execute();
    const events = hooks.map((row) => JSON.parse(String(t.services.outbox.parameters(row).body)));
    expect(events.filter((e) => e.type === 'sale.succeeded' && e.data.id === answer.id)).toHaveLength(1);
    // The short way was tried and refused whole (PostgreSQL), then the long way booked it once.
    expect((await salesOfTerminal(terminal.id)).filter((r) => r.id === answer.id)).toHaveLength(1);
    expect(await sandboxOps(t, answer.id)).toBe(1);
    expect(statements).toContain(dialect === 'postgres' ? 'begin' : 'begin immediate');
  });
});
