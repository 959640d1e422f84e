// Issue 9: refund round trips are bound by the main thread, and the refund path's SQL statements are most of its work
// (docs/performance.md "What is left"). This counts, through the real database connection (Database.onQuery), the
// statements one card sale, one refund create and one key-only refund authorize send, begin and commit included, and
// holds each to a budget: today's count, lowered whenever the path gets cheaper, so it can only go down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../../src/db/database.js';
import { DIALECTS } from '../support/databases.js';
import { statementsOf } from '../support/statements.js';
import { type TerminalClient, TestApp } from '../support/test-app.js';

/** Statements per request, per database: the most each may send. Lower these when a change saves statements. */
const BUDGET: Record<DialectName, { sale: number; refund_create: number; refund_authorize: number }> = {
  sqlite: { sale: 8, refund_create: 22, refund_authorize: 27 },
  postgres: { sale: 2, refund_create: 22, refund_authorize: 27 },
};

/** ¥50: under the key-only threshold (¥200) of the default refund policy. */
const AMOUNT = 5_000;

describe.each(DIALECTS)('statement budget of the refund path [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The statements `request` sends, counted until it has answered and the event loop has settled after it. */
  const countStatements = <T>(request: () => Promise<T>) => statementsOf(t, request, { settleMs: 50 });

  /** One sale, one refund of it, one authorization with the refund key: each request's statements. */
  async function roundTrip(terminal: TerminalClient, refundKey: string) {
    const card = await countStatements(() => terminal.sale(AMOUNT));
    const create = await countStatements(() =>
      terminal.post('/v1/refunds', { sale_id: card.answer.id, amount: AMOUNT, reason: '顾客退货 / return' }),
    );
    expect(create.answer.status, JSON.stringify(create.answer.body)).toBe(201);
    expect(create.answer.body.authorization.required).toEqual(['refund_key']);
    const authorize = await countStatements(() =>
      terminal.post(`/v1/refunds/${create.answer.body.id}/authorize`, { refund_key: refundKey }),
    );
    expect(authorize.answer.status, JSON.stringify(authorize.answer.body)).toBe(200);
    expect(authorize.answer.body.status).toBe('succeeded');
    return {
      sale: card.statements,
      refund_create: create.statements,
      refund_authorize: authorize.statements,
    };
  }

  it('one card sale, one refund create and one key-only authorize stay within their statement budgets', async () => {
    const m = await t.seedMerchant();
    // The first round fills what the app keeps between requests; the second is the steady state a till sees.
    await roundTrip(m.terminal, m.demo.refund_key);
    const counted = await roundTrip(m.terminal, m.demo.refund_key);
    const counts = {
      sale: counted.sale.length,
      refund_create: counted.refund_create.length,
      refund_authorize: counted.refund_authorize.length,
    };
    console.log(`statements per request [${dialect}]: ${JSON.stringify(counts)}`);
    if (process.env.STATEMENT_BUDGET_SQL) console.log(JSON.stringify(counted, null, 2));
    const budget = BUDGET[dialect];
    expect(counts.sale).toBeLessThanOrEqual(budget.sale);
    expect(counts.refund_create).toBeLessThanOrEqual(budget.refund_create);
    expect(counts.refund_authorize).toBeLessThanOrEqual(budget.refund_authorize);
  });
});
