import { type Insertable, type Kysely, sql } from 'kysely';
import { parseFlags } from '../src/cli/flags.js';
import { loadConfig } from '../src/config.js';
import type { DB } from '../src/db/schema.js';
import { createLogger } from '../src/http/logger.js';
import { DAY } from '../src/lib/clock.js';
import { newId } from '../src/lib/random.js';
import { createRefundkey } from '../src/main.js';
import type { SalesTable } from '../src/modules/sales/sales.table.js';
import type { BatchesTable } from '../src/modules/settlements/settlements.table.js';

const HELP = `tsx bench/seed.ts — preload sales for benchmarks (batched inserts, not HTTP); used by bench/run.ts

Creates a filler merchant with --terminals terminals and spreads --sales succeeded card sales over --days days of
closed batches (history). With --terminal, also puts --day-sales sales into that terminal's open batch (today), so that
its settlement reports a busy day among all that history.

Options:
  --sales <n>            filler sales (default 1000000)
  --terminals <n>        filler terminals (default 100)
  --days <n>             days of history (default 100)
  --terminal <id>        an existing terminal that gets a day of sales in its open batch
  --day-sales <n>        sales in that open batch (default 5000)
  --database-url <url>   sqlite:<path> or postgres://... (env DATABASE_URL)
  -h, --help`;

/** Rows per INSERT: 21 columns × 1000 stays under SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const ROWS_PER_INSERT = 1000;
const INSERTS_PER_TRANSACTION = 10;

const CARD_DETAIL = JSON.stringify({
  type: 'bank_card',
  card: {
    brand: 'unionpay',
    funding: 'debit',
    first6: '622202',
    last4: '0007',
    masked: '622202******0007',
    entry_mode: 'chip',
  },
});

/** Benchmark tooling, not a product command: it lives with the harness, not in the `refundkey` CLI. */
async function runBenchSeed(argv: string[]): Promise<number> {
  const flags = parseFlags(
    argv,
    {
      sales: { type: 'string' },
      terminals: { type: 'string' },
      days: { type: 'string' },
      terminal: { type: 'string' },
      'day-sales': { type: 'string' },
      'database-url': { type: 'string' },
    },
    HELP,
  );
  if (!flags) return 0;
  const total = count(flags.sales, 1_000_000, 'sales');
  const terminalCount = Math.max(1, count(flags.terminals, 100, 'terminals'));
  const days = Math.max(1, count(flags.days, 100, 'days'));
  const daySales = count(flags['day-sales'], 5_000, 'day-sales');
  const config = loadConfig(process.env, {
    databaseUrl: flags['database-url'] as string | undefined,
    logLevel: 'silent',
  });
  const app = await createRefundkey(config, { log: createLogger({ level: 'silent' }) });
  const started = Date.now();
  try {
    const { db } = app.services.database;
    const now = app.services.clock.now();
    const progress = new ProgressBar(total + (flags.terminal ? daySales : 0));

    // History: a filler merchant's terminals, one closed batch per terminal and day.
    const merchant = await app.services.merchants.createMerchant({ name: 'Bench filler 压测商户' });
    const store = await app.services.merchants.createStore(merchant.id, { name: 'Bench store' });
    // Every operator number belongs to a staff member; this one never signs in to the back office.
    const cashier = await app.services.staff.createUser({
      merchantId: merchant.id,
      role: 'cashier',
      login: `bench-${merchant.id}`,
      name: 'bench',
      storeIds: [store.id],
    });
    const operator = await app.services.staff.createOperator({
      merchantId: merchant.id,
      storeId: store.id,
      operatorNo: '01',
      name: 'bench',
      password: newId('pw'),
      staffId: cashier.id,
    });
    const terminals: string[] = [];
    for (let i = 0; i < terminalCount; i++) {
      terminals.push(
        (
          await app.services.terminals.createTerminal({
            merchantId: merchant.id,
            storeId: store.id,
            name: `BENCH-${i}`,
          })
        ).terminalId,
      );
    }
    const slots = terminalCount * days;
    const batches: Array<Insertable<BatchesTable>> = [];
    for (let slot = 0; slot < slots; slot++) {
      const terminalId = terminals[slot % terminalCount] ?? '';
      const dayStart = now - (days - Math.floor(slot / terminalCount)) * DAY;
      batches.push({
        id: newId('bat'),
        merchant_id: merchant.id,
        terminal_id: terminalId,
        status: 'closed',
        opened_at: dayStart,
        closed_at: dayStart + DAY - 1,
        report: null,
      });
    }
    for (let i = 0; i < batches.length; i += ROWS_PER_INSERT)
      await db
        .insertInto('batches')
        .values(batches.slice(i, i + ROWS_PER_INSERT))
        .execute();

    let made = 0;
    const saleOf = (index: number): Insertable<SalesTable> => {
      const batch = batches[index % slots];
      if (!batch) throw new Error('no batch');
      const at = batch.opened_at + ((index * 7919) % DAY);
      return sale({
        merchantId: merchant.id,
        storeId: store.id,
        terminalId: batch.terminal_id,
        operatorId: operator.id,
        batchId: batch.id,
        at,
        index,
      });
    };
    made = await insertInChunks(db, total, saleOf, (n) => progress.update(n));

    // Today: a busy day in the open batch of the named terminal.
    if (flags.terminal) {
      const terminal = await db
        .selectFrom('terminals')
        .select(['id', 'merchant_id', 'store_id'])
        .where('id', '=', flags.terminal)
        .executeTakeFirst();
      if (!terminal) throw new Error(`no terminal ${flags.terminal}`);
      const op = await db
        .selectFrom('operators')
        .select('id')
        .where('store_id', '=', terminal.store_id)
        .executeTakeFirst();
      if (!op) throw new Error(`no operator in store ${terminal.store_id}`);
      const batch = await db.transaction().execute((trx) =>
        app.services.settlements.openBatch(trx, {
          id: terminal.id,
          merchantId: terminal.merchant_id,
          storeId: terminal.store_id,
        }),
      );
      const dayStart = now - DAY;
      made += await insertInChunks(
        db,
        daySales,
        (index) =>
          sale({
            merchantId: terminal.merchant_id,
            storeId: terminal.store_id,
            terminalId: terminal.id,
            operatorId: op.id,
            batchId: batch.id,
            at: dayStart + Math.floor((index * DAY) / Math.max(1, daySales)),
            index,
          }),
        (n) => progress.update(total + n),
      );
    }
    progress.done();
    // Fresh planner statistics, as autovacuum would have gathered on a database that grew to this size over months.
    if (app.services.database.dialect === 'postgres') await sql`analyze`.execute(db);
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(
      `seeded ${made.toLocaleString('en')} sales in ${seconds.toFixed(1)} s (${Math.round(made / seconds).toLocaleString('en')}/s)\n`,
    );
    process.stdout.write(`${JSON.stringify({ merchant_id: merchant.id, sales: made, seconds })}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

/** Insert `total` rows built by `make`, ROWS_PER_INSERT per statement, several statements per transaction. */
async function insertInChunks(
  db: Kysely<DB>,
  total: number,
  make: (index: number) => Insertable<SalesTable>,
  onProgress: (done: number) => void,
): Promise<number> {
  let done = 0;
  while (done < total) {
    await db.transaction().execute(async (trx) => {
      for (let s = 0; s < INSERTS_PER_TRANSACTION && done < total; s++) {
        const rows: Array<Insertable<SalesTable>> = [];
        for (let i = 0; i < ROWS_PER_INSERT && done + i < total; i++) rows.push(make(done + i));
        // Bulk rows straight into the ledger table: this is a fixture loader, not a business operation.
        await trx.insertInto('sales').values(rows).execute();
        done += rows.length;
      }
    });
    onProgress(done);
  }
  return done;
}

function sale(input: {
  merchantId: string;
  storeId: string;
  terminalId: string;
  operatorId: string;
  batchId: string;
  at: number;
  index: number;
}): Insertable<SalesTable> {
  return {
    id: newId('sal'),
    merchant_id: input.merchantId,
    store_id: input.storeId,
    terminal_id: input.terminalId,
    operator_id: input.operatorId,
    batch_id: input.batchId,
    status: 'succeeded',
    amount: 100 + ((input.index * 37) % 50_000),
    currency: 'CNY',
    method: 'bank_card',
    method_detail: CARD_DETAIL,
    card_fingerprint: null,
    decline_code: null,
    acquirer_ref: `sbx_seed_${input.index}`,
    created_at: input.at,
    updated_at: input.at,
  };
}

function count(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number ≥ 0`);
  return value;
}

/** A progress bar on stderr (redrawn in place on a terminal, every 10 % otherwise). */
class ProgressBar {
  private readonly started = Date.now();
  private lastTenth = -1;

  constructor(private readonly total: number) {}

  update(done: number): void {
    const ratio = this.total === 0 ? 1 : Math.min(1, done / this.total);
    const seconds = (Date.now() - this.started) / 1000;
    const line = `[${'#'.repeat(Math.round(ratio * 30)).padEnd(30, '.')}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en')}/${this.total.toLocaleString('en')} sales ${seconds.toFixed(1)} s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}`);
    } else if (Math.floor(ratio * 10) > this.lastTenth) {
      this.lastTenth = Math.floor(ratio * 10);
      process.stderr.write(`${line}\n`);
    }
  }

  done(): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
}

process.exitCode = await runBenchSeed(process.argv.slice(2));
