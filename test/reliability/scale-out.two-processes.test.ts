// Scale-out (issue 5; docs/security.md "Refunds and money": "never exceeds what was captured, under any concurrency, on
// every instance"; "Use: once, atomically"; lockouts "Where counted: in the database ... several instances share one
// count"): two real `refundkey serve` processes on one database, requests spread over both.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../../bench/lib/processes.js';
import { findCode } from '../../bench/lib/scenarios.js';
import { type BenchTerminal, CARD_OK, call, field, terminalHeaders } from '../../bench/lib/terminal-api.js';
import { DIALECTS } from '../support/databases.js';
import { outcome, tally, unexpected } from '../support/outcomes.js';
import { REFUSAL_MAY_CHANGE } from '../support/test-app.js';
import { LiveDatabase } from './support/live-server.js';
import { changedTables, dumpTables } from './support/table-checksum.js';

describe.each(DIALECTS)('scale-out: two server processes on one database [%s]', (dialect) => {
  let live: LiveDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let terminals: BenchTerminal[];

  beforeAll(async () => {
    live = await LiveDatabase.create(dialect);
    a = await live.startServer();
    b = await live.startServer();
    terminals = await live.activate(a);
  }, 120_000);
  afterAll(async () => live?.close());

  const at = (i: number) => (i % 2 === 0 ? a : b);
  /**
   * What a refused request must leave as it was: every table but what a refusal is required to record (test-app.ts).
   * The two servers' delivery workers keep sending queued messages meanwhile, so the outbox is compared by its rows'
   * ids (a refusal queues no message) rather than by their delivery progress.
   */
  const checksum = async () => ({
    tables: await dumpTables(live.db, dialect, {
      tables: new RegExp(`${REFUSAL_MAY_CHANGE.tables.source}|^outbox`, 'i'),
      columns: REFUSAL_MAY_CHANGE.columns,
    }),
    outbox: (await live.db.selectFrom('outbox').select('id').orderBy('id').execute()).map((r) => r.id),
  });
  const changedSince = async (before: Awaited<ReturnType<typeof checksum>>) => {
    const after = await checksum();
    const added = after.outbox.filter((id) => !before.outbox.includes(id));
    return [...changedTables(before.tables, after.tables), ...added.map((id) => `outbox row ${id}`)];
  };
  const terminal = (i: number) => terminals[i % terminals.length] as BenchTerminal;

  /** A sale at terminal `at` (refunds follow the sale's store, so each store refunds its own sales). */
  async function sale(amount: number, at = 0): Promise<string> {
    const answer = await call(a.url, 'POST', '/v1/sales', {
      body: { amount, currency: 'CNY', payment_method: CARD_OK },
      headers: terminalHeaders(terminal(at), { 'idempotency-key': randomUUID() }),
    });
    expect(answer.status, answer.text).toBe(201);
    return field(answer.body, 'id');
  }

  function refund(server: ServerProcess, t: BenchTerminal, saleId: string, amount: number) {
    return call(server.url, 'POST', '/v1/refunds', {
      body: { sale_id: saleId, amount, reason: 'scale-out' },
      headers: terminalHeaders(t, { 'idempotency-key': randomUUID() }),
    });
  }

  function authorize(server: ServerProcess, t: BenchTerminal, refundId: string, body: Record<string, string>) {
    return call(server.url, 'POST', `/v1/refunds/${refundId}/authorize`, { body, headers: terminalHeaders(t) });
  }

  it('200 concurrent full-amount refunds of one sale over both processes: exactly one is accepted, and booked once', async () => {
    const saleId = await sale(10_000);
    // Every terminal of the sale's store (a terminal of the other store is refused 403 REFUND_OTHER_STORE before any
    // race, so it would not compete).
    const store = live.demo.stores.find((s) => s.terminals.some((x) => x.id === terminal(0).id));
    const own = terminals.filter((x) => store?.terminals.some((y) => y.id === x.id));
    expect(own.length).toBeGreaterThan(1);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => refund(at(i), own[i % own.length] as BenchTerminal, saleId, 10_000)),
    );
    // Every answer is one of the two exact outcomes: a 5xx, another status or another code is a key of its own.
    expect(tally(answers)).toEqual({ '201': 1, '422 REFUND_EXCEEDS_REFUNDABLE': 199 });
    expect(answers.filter((x) => x.status === 201)).toHaveLength(1);
    const accepted = answers.find((x) => x.status === 201);
    const refundId = field(accepted?.body, 'id');
    const owner = own[answers.indexOf(accepted as (typeof answers)[number]) % own.length] as BenchTerminal;

    // The accepted one authorized on both processes at once: one success, the money moves once. More than 5 keys at
    // once on one terminal are refused before they are checked (docs/security.md "Attempt limits", 423); the others
    // lose the race for the refund (409). Nothing else: no 5xx, no other status or code.
    const key = live.demo.refund_key;
    const auths = await Promise.all(
      Array.from({ length: 10 }, (_, i) => authorize(at(i), owner, refundId, { refund_key: key })),
    );
    expect(unexpected(auths, ['200', '409 REFUND_NOT_AUTHORIZABLE', '423 REFUNDS_LOCKED'])).toEqual([]);
    expect(auths.filter((x) => x.status === 200)).toHaveLength(1);
    const row = await live.db
      .selectFrom('sales')
      .select(['refunded_amount', 'reserved_amount'])
      .where('id', '=', saleId)
      .executeTakeFirstOrThrow();
    expect({ refunded: Number(row.refunded_amount), reserved: Number(row.reserved_amount) }).toEqual({
      refunded: 10_000,
      reserved: 0,
    });
    const refunds = await live.db.selectFrom('refunds').select(['status']).where('sale_id', '=', saleId).execute();
    expect(refunds.map((r) => r.status)).toEqual(['succeeded']);
  }, 120_000);

  it('one one-time code submitted to both processes at once: exactly one success', async () => {
    const saleId = await sale(100_000);
    // Above the key-only threshold of the default policy, a refund needs the key and a one-time code.
    const created = await refund(a, terminal(0), saleId, 50_000);
    expect(created.status, created.text).toBe(201);
    const refundId = field(created.body, 'id');
    const required = (created.body as { authorization?: { required?: string[] } }).authorization?.required ?? [];
    expect(required).toContain('one_time_code');
    let code: string | undefined;
    for (const recipient of [live.demo.owner.login, live.demo.manager.login, '13800138000', '13900139000']) {
      const outbox = await call(a.url, 'GET', `/dev/outbox?to=${encodeURIComponent(recipient)}`);
      code ??= findCode(outbox.body, refundId);
    }
    expect(code, 'the code reached the development outbox').toMatch(/^\d{6,8}$/);
    const body = { refund_key: live.demo.refund_key, code: code ?? '' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => authorize(at(i), terminal(0), refundId, body)),
    );
    expect(
      unexpected(answers, ['200', '409 CODE_ALREADY_USED', '409 REFUND_NOT_AUTHORIZABLE', '423 REFUNDS_LOCKED']),
    ).toEqual([]);
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
    const row = await live.db
      .selectFrom('sales')
      .select('refunded_amount')
      .where('id', '=', saleId)
      .executeTakeFirstOrThrow();
    expect(Number(row.refunded_amount)).toBe(50_000);
  }, 120_000);

  it('a terminal lockout set through one process is enforced by the other, even with the correct key', async () => {
    const saleId = await sale(10_000);
    const t = terminal(1);
    const first = await refund(a, t, saleId, 100);
    const second = await refund(b, t, saleId, 100);
    expect([first.status, second.status]).toEqual([201, 201]);
    // docs/security.md: 5 consecutive wrong refund keys lock refunds on that terminal for 30 min.
    const wrongs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const wrong = await authorize(a, t, field(first.body, 'id'), { refund_key: `wrong-key-${i}-${randomUUID()}` });
      wrongs.push(outcome(wrong));
    }
    expect(wrongs).toEqual([...Array(4).fill('422 REFUND_KEY_INVALID'), '423 REFUNDS_LOCKED']);
    const before = await checksum();
    const locked = await authorize(b, t, field(second.body, 'id'), { refund_key: live.demo.refund_key });
    expect(locked.status, locked.text).toBe(423);
    expect(await changedSince(before)).toEqual([]);
    expect(outcome(locked)).toBe('423 REFUNDS_LOCKED');
    expect((locked.body as { error?: { retry_after_s?: number } }).error?.retry_after_s).toBeGreaterThan(0);
  }, 120_000);

  it('a merchant-wide lockout counted over both processes is enforced on a terminal that never erred', async () => {
    // A merchant of its own, so that no other test's wrong keys count towards this one's ten (order-independent).
    const demo = live.newDemo();
    const own = await live.activate(a, demo);
    const [t0, t2, t3] = [own[0], own[2], own[3]] as [BenchTerminal, BenchTerminal, BenchTerminal];
    const ownSale = async (t: BenchTerminal) => {
      const answer = await call(a.url, 'POST', '/v1/sales', {
        body: { amount: 10_000, currency: 'CNY', payment_method: CARD_OK },
        headers: terminalHeaders(t, { 'idempotency-key': randomUUID() }),
      });
      expect(answer.status, answer.text).toBe(201);
      return field(answer.body, 'id');
    };
    const targets = [await refund(a, t0, await ownSale(t0), 100), await refund(b, t2, await ownSale(t2), 100)];
    const clean = await refund(a, t3, await ownSale(t3), 100);
    expect([...targets, clean].map((x) => x.status)).toEqual([201, 201, 201]);
    // docs/security.md "Attempt limits": 10 failed authorizations per merchant in 30 min lock all its refunds. Ten wrong keys,
    // alternating processes and terminals, 5 each: each terminal's fifth locks that terminal, the tenth the merchant.
    const wrongs: string[] = [];
    for (let i = 0; i < 10; i++) {
      const [server, t, target] = i % 2 === 0 ? [a, t0, targets[0]] : [b, t2, targets[1]];
      const wrong = await authorize(server, t, field(target?.body, 'id'), { refund_key: `wrong-${i}-${randomUUID()}` });
      wrongs.push(outcome(wrong));
    }
    expect(wrongs).toEqual([...Array(8).fill('422 REFUND_KEY_INVALID'), '423 REFUNDS_LOCKED', '423 REFUNDS_LOCKED']);
    // Terminal 3 never entered a wrong key: only the merchant-wide lock can refuse its correct key.
    const before = await checksum();
    const locked = await authorize(b, t3, field(clean.body, 'id'), { refund_key: demo.refund_key });
    expect(locked.status, locked.text).toBe(423);
    expect(await changedSince(before)).toEqual([]);
    expect(outcome(locked)).toBe('423 REFUNDS_LOCKED');
    expect((locked.body as { error?: { retry_after_s?: number } }).error?.retry_after_s).toBeGreaterThan(0);
  }, 120_000);
});
