// The SQL floor of a card sale on SQLite: what the statements one sale sends cost on this machine, run back to back on
// the product's own schema (its migrations) with the product's pragmas, with no HTTP, no Kysely and no JavaScript of
// ours in between. A sale cannot be cheaper than this plus the HTTP stack (the `hello` baseline), so the two give the
// most card sales per second any implementation of today's data model reaches here; docs/performance.md "The floor".

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { newOrderedId } from '../../src/lib/random.js';

export interface SaleSqlFloor {
  /** Microseconds per sale, per statement (the names of test/reliability/statement-budget.test.ts's sale). */
  per_statement_us: Record<string, number>;
  /** The whole sale: every statement, `begin immediate` to `commit`. */
  sale_us: number;
  /**
   * The same statements with the commit shape the product has since group commit (src/db/sqlite-group-commit.ts):
   * `GROUP` sales per commit, each after the first under a savepoint. The product reaches it when sales arrive together.
   */
  grouped_sale_us: number;
  group: number;
  /** One INSERT in its own transaction, as the `insert` baseline sends it, on the same file. */
  autocommit_insert_us: number;
  sales: number;
}

/** Sales per commit in `grouped_sale_us`: as many as the bench's 16 connections keep in flight at the peak. */
const GROUP = 16;

const id = (prefix: string) => `${prefix}_${randomBytes(15).toString('base64url')}`;

/** Run `sales` sales' statements on a fresh, migrated SQLite file and time each statement. */
export async function measureSaleSqlFloor(sales = 20_000): Promise<SaleSqlFloor> {
  const file = join(tmpdir(), `refundkey-floor-${process.pid}-${Date.now()}.db`);
  const opened = openDatabase(`sqlite:${file}`);
  await migrateToLatest(opened.db);
  await opened.close();
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // Foreign keys off: the rows below reference a merchant, store and terminal that the floor does not create. The
    // product checks them, which only adds to its cost.
    sqlite.pragma('foreign_keys = OFF');
    const now = Date.now();
    sqlite
      .prepare('insert into batches (id, merchant_id, terminal_id, status, opened_at) values (?, ?, ?, ?, ?)')
      .run('bat_floor', 'mer_floor', 'trm_floor', 'open', now);
    // The statements of one card sale, as the product sends them (its terminal lookup is a read outside the write).
    const statements = {
      auth: sqlite.prepare(
        'select terminals.id from terminals left join operator_sessions on operator_sessions.token_hash = ? where terminals.key_hash = ?',
      ),
      begin: sqlite.prepare('begin immediate'),
      acquirer: sqlite.prepare(
        'insert into acquirer_sandbox_ops (reference, kind, amount, status, decline_code, settles_at, created_at) values (?, ?, ?, ?, ?, ?, ?)',
      ),
      batch: sqlite.prepare("select * from batches where terminal_id = ? and status = 'open'"),
      sale: sqlite.prepare(
        'insert into sales (id, merchant_id, store_id, terminal_id, operator_id, batch_id, status, amount, currency, method, method_detail, card_fingerprint, decline_code, acquirer_ref, refunded_amount, reserved_amount, refund_count, voided, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      idempotency: sqlite.prepare(
        'insert into idempotency_keys (terminal_id, key, request_hash, resource_id, status_code, response, created_at) values (?, ?, ?, ?, ?, ?, ?)',
      ),
      webhooks: sqlite.prepare(
        'select * from webhook_endpoints where merchant_id = ? and status = ? order by created_at, id',
      ),
      commit: sqlite.prepare('commit'),
    };
    const spent: Record<string, number> = Object.fromEntries(Object.keys(statements).map((name) => [name, 0]));
    const timed = (name: keyof typeof statements, run: () => unknown) => {
      const t0 = performance.now();
      run();
      spent[name] = (spent[name] ?? 0) + (performance.now() - t0);
    };
    const detail = JSON.stringify({ brand: 'unionpay', last4: '0007', entry_mode: 'chip' });
    const savepoint = sqlite.prepare('savepoint member');
    const release = sqlite.prepare('release member');
    /** One sale's statements; `group` sales per commit, the later ones of a group under a savepoint. */
    const sale = (i: number, group: number, serial: number) => {
      // As the product makes them: ordered by time, so each goes to the last page of the sales' and journal's keys.
      const saleId = newOrderedId('sal', Date.now());
      const at = now + serial;
      const answer = JSON.stringify({ id: saleId, status: 'succeeded', amount: 1234, currency: 'CNY', card: detail });
      // Values are made before the clock starts: only the statements are timed.
      const [token, key, fingerprint, requestHash] = Array.from({ length: 4 }, () => randomBytes(32).toString('hex'));
      const idempotencyKey = id('key');
      timed('auth', () => statements.auth.all(token, key));
      if (i % group === 0) timed('begin', () => statements.begin.run());
      else timed('begin', () => savepoint.run());
      timed('acquirer', () => statements.acquirer.run(saleId, 'charge', 1234, 'approved', null, at + 86_400_000, at));
      timed('batch', () => statements.batch.all('trm_floor'));
      timed('sale', () =>
        statements.sale.run(
          ...[saleId, 'mer_floor', 'sto_floor', 'trm_floor', 'opr_floor', 'bat_floor', 'succeeded', 1234, 'CNY'],
          ...['bank_card', detail, fingerprint, null, `ACQ${serial}`, 0, 0, 0, 0, at, at],
        ),
      );
      timed('idempotency', () =>
        statements.idempotency.run('trm_floor', idempotencyKey, requestHash, saleId, 201, answer, at),
      );
      timed('webhooks', () => statements.webhooks.all('mer_floor', 'active'));
      if (i % group !== 0) timed('commit', () => release.run());
      if (i % group === group - 1) timed('commit', () => statements.commit.run());
    };
    for (let i = 0; i < sales; i++) sale(i, 1, i);
    const alone = Object.values(spent).reduce((sum, ms) => sum + ms, 0);
    const perStatement = Object.fromEntries(
      Object.entries(spent).map(([name, ms]) => [name, Math.round(((ms * 1000) / sales) * 10) / 10]),
    );
    for (const name of Object.keys(spent)) spent[name] = 0;
    const grouped = sales - (sales % GROUP);
    for (let i = 0; i < grouped; i++) sale(i, GROUP, sales + i);
    const together = Object.values(spent).reduce((sum, ms) => sum + ms, 0);
    const insert = sqlite.prepare(
      'insert into idempotency_keys (terminal_id, key, request_hash, resource_id, status_code, response, created_at) values (?, ?, ?, ?, ?, ?, ?)',
    );
    const keys = Array.from({ length: sales }, () => id('key'));
    const t0 = performance.now();
    for (const key of keys) insert.run('trm_insert', key, 'h', 'x', 201, '{}', now);
    const autocommit = ((performance.now() - t0) * 1000) / sales;
    return {
      per_statement_us: perStatement,
      sale_us: Math.round(((alone * 1000) / sales) * 10) / 10,
      grouped_sale_us: Math.round(((together * 1000) / grouped) * 10) / 10,
      group: GROUP,
      autocommit_insert_us: Math.round(autocommit * 10) / 10,
      sales,
    };
  } finally {
    sqlite.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}
