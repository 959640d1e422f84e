// `npm run bench [-- --quick] [-- --only baselines,sqlite,postgres,postgres2,seeded] [-- --seed-sales N] [-- --cpu-prof]
//   [-- --warmup S --duration S] [-- --half-load-rate N] [-- --out file]`
// Loopback load with autocannon against the real server processes, after baselines that show the machine's limits.
// Writes bench/results.json (shape of issue 5) and prints a table. Method and figures: docs/performance.md.
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Argon2Pool } from '../src/lib/hashing.js';
import { type BenchDatabase, type BenchDialect, freshDatabase, PG_ADMIN_URL } from './lib/databases.js';
import { type Measure, percentile, round, runRequests } from './lib/load.js';
import {
  buildIfStale,
  CLI,
  freePort,
  ROOT,
  RssSampler,
  runCli,
  runSeed,
  type ServerProcess,
  startProcess,
  startRefundkey,
} from './lib/processes.js';
import { measureSaleSqlFloor, type SaleSqlFloor } from './lib/sale-sql-floor.js';
import {
  refundCode,
  refundKey,
  refundKeyBesideSales,
  type ScenarioResult,
  salesCard,
  salesHalfLoad,
  settlementReport,
  type Target,
  type Timing,
} from './lib/scenarios.js';
import { activateAll, createDemo } from './lib/terminal-api.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    'seed-sales': { type: 'string' },
    'cpu-prof': { type: 'boolean' },
    out: { type: 'string' },
    warmup: { type: 'string' },
    duration: { type: 'string' },
    'half-load-rate': { type: 'string' },
  },
});
const quick = Boolean(flags.quick);
const timing: Timing = {
  warmupS: Number(flags.warmup ?? (quick ? 1 : 2)),
  durationS: Number(flags.duration ?? (quick ? 3 : 8)),
  connections: 16,
};
const seedSales = Number(flags['seed-sales'] ?? (quick ? 20_000 : 1_000_000));
const DAY_SALES = quick ? 1_000 : 5_000;
const only = new Set((flags.only ?? 'baselines,sqlite,postgres,postgres2,seeded').split(','));
const outFile = flags.out ?? join(ROOT, 'bench', 'results.json');
// --cpu-prof: each server process writes a V8 profile to bench/profiles/ when it exits (read with profile-summary.ts).
const nodeArgs = flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', 'profiles')}`] : [];

interface Baseline extends Measure {
  name: string;
  db: string | null;
}

const baselines: Baseline[] = [];
let saleSqlFloor: SaleSqlFloor | undefined;
const scenarios: ScenarioResult[] = [];
const cleanups: Array<() => Promise<void>> = [];
const started = Date.now();

function log(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

async function cleanup(): Promise<void> {
  while (cleanups.length)
    await cleanups
      .pop()?.()
      .catch((error: unknown) => log(`cleanup: ${String(error)}`));
}

process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

/**
 * Baselines: a bare POST, a POST doing one INSERT with the product's database settings, and the machine's Argon2id
 * verification rate.
 */
async function runBaselines(): Promise<void> {
  baselines.push({ name: 'argon2_verify', db: null, ...(await argon2Baseline()) });
  saleSqlFloor = await measureSaleSqlFloor(quick ? 5_000 : 20_000);
  log(
    `baseline sale SQL floor (sqlite) → ${saleSqlFloor.sale_us} µs a sale (commit ${saleSqlFloor.per_statement_us.commit} µs), ${saleSqlFloor.grouped_sale_us} µs in groups of ${saleSqlFloor.group}; one autocommit insert ${saleSqlFloor.autocommit_insert_us} µs`,
  );
  const hello = await startBaseline('hello');
  baselines.push({ name: 'hello', db: null, ...(await warmAndMeasure(hello, '/hello')) });
  await hello.stop();
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const database = await tracked(freshDatabase(dialect, 'insert'));
    const server = await startBaseline('insert', database.url);
    baselines.push({ name: 'insert', db: dialect, ...(await warmAndMeasure(server, '/insert')) });
    await server.stop();
    await database.drop();
  }
}

/**
 * Argon2id verifications per second through the product's own pool (same parameters, same threads, same priority),
 * kept full (two per thread in flight) for the measured duration: the ceiling of any round trip that verifies a key.
 */
async function argon2Baseline(): Promise<Measure & { threads: number }> {
  const pool = new Argon2Pool();
  try {
    const hashed = await pool.hash('bench-refund-key');
    const run = async (seconds: number) => {
      const latencies: number[] = [];
      const until = performance.now() + seconds * 1000;
      const lane = async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          if (!(await pool.verify(hashed, 'bench-refund-key'))) throw new Error('argon2 baseline: verify failed');
          latencies.push(performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: pool.threads * 2 }, lane));
      return latencies.sort((a, b) => a - b);
    };
    await run(timing.warmupS);
    const latencies = await run(timing.durationS);
    const measure: Measure = {
      ops_per_s: round(latencies.length / timing.durationS),
      p50_ms: round(percentile(latencies, 0.5)),
      p99_ms: round(percentile(latencies, 0.99)),
      errors: 0,
    };
    log(`baseline argon2id verify (${pool.threads} thread(s)) → ${measure.ops_per_s}/s p50 ${measure.p50_ms} ms`);
    return { ...measure, threads: pool.threads };
  } finally {
    await pool.close();
  }
}

async function startBaseline(mode: 'hello' | 'insert', databaseUrl?: string): Promise<ServerProcess> {
  const port = await freePort();
  const server = await startProcess(
    [
      '--import',
      'tsx',
      join(ROOT, 'bench', 'baseline-server.ts'),
      mode,
      String(port),
      ...(databaseUrl ? [databaseUrl] : []),
    ],
    {
      port,
    },
  );
  cleanups.push(() => server.stop());
  return server;
}

async function warmAndMeasure(server: ServerProcess, path: string): Promise<Measure> {
  const body = JSON.stringify({ amount: 1234, currency: 'CNY', note: 'baseline' });
  const make = () => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
  const options = { urls: [server.url], connections: timing.connections };
  await runRequests({ ...options, durationS: timing.warmupS }, make);
  const sampler = new RssSampler([server.pid]).start();
  const measure = await runRequests({ ...options, durationS: timing.durationS }, make);
  log(`baseline ${path} → ${measure.ops_per_s}/s p99 ${measure.p99_ms} ms (rss ${sampler.stop()} MB)`);
  return measure;
}

async function tracked(pending: Promise<BenchDatabase>): Promise<BenchDatabase> {
  const database = await pending;
  cleanups.push(() => database.drop());
  return database;
}

/** Fresh database, schema, demo merchant (through the CLI), N server processes, activated terminals. */
async function prepare(
  dialect: BenchDialect,
  processes: number,
  label: string,
  beforeStart?: (database: BenchDatabase, demo: ReturnType<typeof createDemo>) => void,
) {
  const database = await tracked(freshDatabase(dialect, label));
  runCli(['migrate', '--database-url', database.url]);
  const demo = createDemo(database.url);
  beforeStart?.(database, demo);
  const servers: ServerProcess[] = [];
  for (let i = 0; i < processes; i++) {
    const server = await startRefundkey(database.url, {}, { nodeArgs });
    cleanups.push(() => server.stop());
    servers.push(server);
  }
  const terminals = await activateAll(servers[0]?.url ?? '', demo);
  const target: Target = { db: dialect, servers, demo, terminals, timing };
  return {
    target,
    async finish() {
      for (const server of servers) await server.stop();
      await database.drop();
    },
  };
}

/** The scenarios of one configuration (database × processes). */
async function runConfiguration(dialect: BenchDialect, processes: number): Promise<void> {
  const label = `${dialect}${processes}`;
  log(`${label}: preparing`);
  const { target, finish } = await prepare(dialect, processes, label);
  const peak = await salesCard(target);
  report(peak);
  // Half the peak, or --half-load-rate N: the same rate for two builds (A/B runs).
  const halfRate = flags['half-load-rate'] ? Number(flags['half-load-rate']) : Math.floor((peak.ops_per_s ?? 1) / 2);
  const half = await salesHalfLoad(target, Math.max(1, halfRate));
  report(half);
  report(await refundCode(target));
  report(await refundKey(target));
  report(await refundKeyBesideSales(target, Number(half.rate_per_s), half.p99_ms));
  await finish();
}

/** Sales on a database preloaded by bench/seed.ts, then a day's settlement report. */
async function runSeeded(dialect: BenchDialect): Promise<void> {
  log(`${dialect}: seeding ${seedSales.toLocaleString('en')} sales (+${DAY_SALES} today on one terminal)`);
  let seedSeconds = 0;
  const { target, finish } = await prepare(dialect, 1, `${dialect}seed`, (database, demo) => {
    const terminal = demo.stores[0]?.terminals[0]?.id ?? '';
    const seeded = runSeed([
      '--sales',
      String(seedSales),
      '--terminal',
      terminal,
      '--day-sales',
      String(DAY_SALES),
      '--database-url',
      database.url,
    ]);
    seedSeconds = (JSON.parse(seeded.trim().split('\n').pop() ?? '{}') as { seconds?: number }).seconds ?? 0;
  });
  log(`${dialect}: seeded in ${seedSeconds.toFixed(1)} s`);
  const seeded = await salesCard(target, 'sales_card_seeded');
  report({ ...seeded, preloaded_sales: seedSales, seed_seconds: round(seedSeconds) });
  report(await settlementReport(target));
  await finish();
}

function report(result: ScenarioResult): void {
  scenarios.push(result);
  if (result.skipped) log(`${result.name} [${result.db}×${result.processes}] skipped: ${result.skipped}`);
  else
    log(
      `${result.name} [${result.db}×${result.processes}] → ${result.ops_per_s}/s p50 ${result.p50_ms} p99 ${result.p99_ms} ms, errors ${result.errors}, rss ${result.rss_peak_mb ?? '-'} MB`,
    );
}

function find(name: string, db: string, processes = 1): ScenarioResult | undefined {
  return scenarios.find((s) => s.name === name && s.db === db && s.processes === processes && !s.skipped);
}

function ratio(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b === 0 ? null : Math.round((a / b) * 1000) / 1000;
}

function ratios(): Record<string, number | null> {
  const insert = (db: string) => baselines.find((b) => b.name === 'insert' && b.db === db)?.ops_per_s;
  const argon2 = baselines.find((b) => b.name === 'argon2_verify')?.ops_per_s;
  const out: Record<string, number | null> = {};
  for (const db of ['sqlite', 'postgres']) {
    out[`sales_vs_insert_${db}`] = ratio(find('sales_card', db)?.ops_per_s, insert(db));
    out[`refund_code_vs_insert_${db}`] = ratio(find('refund_code', db)?.ops_per_s, insert(db));
    out[`refund_key_vs_insert_${db}`] = ratio(find('refund_key', db)?.ops_per_s, insert(db));
    out[`refund_key_vs_argon2_${db}`] = ratio(find('refund_key', db)?.ops_per_s, argon2);
    out[`refund_key_beside_sales_vs_argon2_${db}`] = ratio(find('refund_key_beside_sales', db)?.ops_per_s, argon2);
    out[`sales_seeded_vs_empty_${db}`] = ratio(
      find('sales_card_seeded', db)?.ops_per_s,
      find('sales_card', db)?.ops_per_s,
    );
    const key = find('refund_key_beside_sales', db);
    out[`sales_p99_during_refund_key_vs_alone_${db}`] = ratio(
      key?.sales_p99_ms_during as number | undefined,
      key?.sales_p99_ms_alone as number | undefined,
    );
  }
  // The most card sales any implementation of today's data model could answer here, against `insert`: the sale's own
  // SQL (the floor) plus the HTTP stack (`hello`), nothing else (docs/performance.md "The floor"); committed one by one,
  // and in groups as the product commits them when sales arrive together.
  const hello = baselines.find((b) => b.name === 'hello')?.ops_per_s;
  const ceiling = (us: number | undefined) =>
    us !== undefined && hello ? ratio(1e6 / (us + 1e6 / hello), insert('sqlite')) : null;
  out.sales_vs_insert_sqlite_ceiling = ceiling(saleSqlFloor?.sale_us);
  out.sales_vs_insert_sqlite_ceiling_grouped = ceiling(saleSqlFloor?.grouped_sale_us);
  out.sales_vs_insert_postgres_2proc = ratio(find('sales_card', 'postgres', 2)?.ops_per_s, insert('postgres'));
  out.sales_postgres_2proc_vs_1proc = ratio(
    find('sales_card', 'postgres', 2)?.ops_per_s,
    find('sales_card', 'postgres')?.ops_per_s,
  );
  return out;
}

/** Targets of issues 5 and 9, reported (never asserted). */
function targets(r: Record<string, number | null>): Array<[string, string, boolean | null]> {
  const rows: Array<[string, string, boolean | null]> = [];
  const check = (label: string, value: number | null | undefined, ok: (v: number) => boolean, unit = '') =>
    rows.push([
      label,
      value === null || value === undefined ? 'n/a' : `${value}${unit}`,
      value === null || value === undefined ? null : ok(value),
    ]);
  for (const db of ['sqlite', 'postgres']) {
    const least = db === 'sqlite' ? 0.5 : 0.35;
    check(`sales ≥ ${least * 100} % of insert (${db})`, r[`sales_vs_insert_${db}`], (v) => v >= least);
    check(`refund code round trip ≥ 25 % of insert (${db})`, r[`refund_code_vs_insert_${db}`], (v) => v >= 0.25);
    check(`refund key round trip ≥ 70 % of argon2id verify (${db})`, r[`refund_key_vs_argon2_${db}`], (v) => v >= 0.7);
    check(
      `sales with ${seedSales} preloaded ≥ 80 % of empty (${db})`,
      r[`sales_seeded_vs_empty_${db}`],
      (v) => v >= 0.8,
    );
    check(`day settlement ≤ 1 s (${db})`, find('settlement_report', db)?.p99_ms, (v) => v <= 1000, ' ms');
    check(`sales p99 during refund keys ≤ 2× (${db})`, r[`sales_p99_during_refund_key_vs_alone_${db}`], (v) => v <= 2);
  }
  check(
    'sales p99 ≤ 15 ms at half load, paced (sqlite)',
    find('sales_card_half_load', 'sqlite')?.p99_ms,
    (v) => v <= 15,
    ' ms',
  );
  check(
    'RSS ≤ 250 MB (every scenario)',
    Math.max(0, ...scenarios.map((s) => s.rss_peak_mb ?? 0)),
    (v) => v <= 250,
    ' MB',
  );
  return rows;
}

function machine() {
  const cpu = cpus();
  let postgres = 'unknown';
  try {
    postgres = execSync(`psql "${PG_ADMIN_URL}" -Atc "show server_version"`, { encoding: 'utf8' }).trim();
  } catch {
    // psql may be missing; the version is then read below through the driver
  }
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memory_gb: round(totalmem() / 2 ** 30),
    free_memory_gb_at_start: round(freemem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    sqlite: new Database(':memory:').prepare('select sqlite_version() as v').pluck().get() as string,
    postgres,
    load_generator: 'autocannon 9 (in the bench process, same machine, loopback)',
    date: new Date().toISOString(),
    quick,
    warmup_s: timing.warmupS,
    duration_s: timing.durationS,
    connections: timing.connections,
    seed_sales: seedSales,
    load_average_at_start: execSync('cat /proc/loadavg', { encoding: 'utf8' }).split(' ').slice(0, 3).map(Number),
  };
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return String((await client.query('show server_version')).rows[0]?.server_version ?? 'unknown');
  } finally {
    await client.end();
  }
}

function printTable(r: Record<string, number | null>): void {
  const rows: string[][] = [['kind', 'name', 'db', 'proc', 'ops/s', 'p50 ms', 'p99 ms', 'errors', 'rss MB']];
  for (const b of baselines)
    rows.push([
      'baseline',
      b.name,
      b.db ?? '-',
      '1',
      String(b.ops_per_s),
      String(b.p50_ms),
      String(b.p99_ms),
      String(b.errors),
      '-',
    ]);
  for (const s of scenarios) {
    rows.push(
      s.skipped
        ? ['scenario', s.name, s.db, String(s.processes), `skipped: ${s.skipped}`, '', '', '', '']
        : [
            'scenario',
            s.name,
            s.db,
            String(s.processes),
            String(s.ops_per_s),
            String(s.p50_ms),
            String(s.p99_ms),
            String(s.errors),
            String(s.rss_peak_mb ?? '-'),
          ],
    );
  }
  const skipped = (row: string[]) => row[4]?.startsWith('skipped') === true;
  const widths =
    rows[0]?.map((_, i) =>
      Math.max(...rows.filter((row) => !skipped(row) || i < 4).map((row) => (row[i] ?? '').length)),
    ) ?? [];
  for (const row of rows)
    console.log(
      (skipped(row) ? row.slice(0, 5) : row)
        .map((cell, i) => cell.padEnd(skipped(row) && i === 4 ? 0 : (widths[i] ?? 0)))
        .join('  '),
    );
  console.log('\nratios');
  for (const [name, value] of Object.entries(r)) console.log(`  ${name.padEnd(42)} ${value ?? 'n/a'}`);
  console.log('\ntargets (reported, not asserted)');
  for (const [label, value, ok] of targets(r))
    console.log(`  ${ok === null ? '  -  ' : ok ? ' ok  ' : 'MISSED'} ${label.padEnd(52)} ${value}`);
}

async function main(): Promise<void> {
  buildIfStale();
  log(
    `${quick ? 'quick' : 'full'} run: warm-up ${timing.warmupS} s + ${timing.durationS} s per scenario; server ${CLI}`,
  );
  const info = machine();
  const [load1 = 0] = info.load_average_at_start;
  if (load1 > info.cores * 0.5) {
    log(
      `WARNING: load average ${load1} on ${info.cores} cores before the start: other work shares the CPU, figures will be low and noisy`,
    );
  }
  if (info.postgres === 'unknown') info.postgres = await postgresVersion();
  if (only.has('baselines')) await runBaselines();
  if (only.has('sqlite')) await runConfiguration('sqlite', 1);
  if (only.has('postgres')) await runConfiguration('postgres', 1);
  if (only.has('postgres2')) await runConfiguration('postgres', 2);
  if (only.has('seeded')) {
    await runSeeded('sqlite');
    await runSeeded('postgres');
  }
  const r = ratios();
  writeFileSync(
    outFile,
    `${JSON.stringify({ machine: { ...info, total_s: round((Date.now() - started) / 1000) }, baselines, sale_sql_floor: saleSqlFloor ?? null, scenarios, ratios: r }, null, 2)}\n`,
  );
  console.log('');
  printTable(r);
  console.log(`\nwrote ${outFile} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

try {
  await main();
} finally {
  await cleanup();
}
