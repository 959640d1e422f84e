// `npm run soak -- --minutes N [--db sqlite|postgres] [--sales-rate 50] [--chart docs/soak.svg]`
// Steady mixed load against the real server process for N minutes: card sales, refunds authorized with the refund
// key, refunds canceled, sale reads, and a settlement every minute. Every 10 s the server's RSS (/proc/<pid>/status)
// and the latency of each operation in that window go to a CSV; at the end an SVG chart is drawn from it.
// A leak shows as an RSS line that keeps climbing; a slowdown as a rising p99.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type BenchDialect, freshDatabase } from './lib/databases.js';
import { percentile, round } from './lib/load.js';
import { buildIfStale, ROOT, rssMb, runCli, startRefundkey } from './lib/processes.js';
import {
  activateAll,
  type BenchTerminal,
  CARD_OK,
  call,
  createDemo,
  field,
  terminalHeaders,
} from './lib/terminal-api.js';

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    db: { type: 'string', default: 'sqlite' },
    'sales-rate': { type: 'string', default: '50' },
    'sample-s': { type: 'string', default: '10' },
    csv: { type: 'string' },
    chart: { type: 'string' },
  },
});
const minutes = Number(flags.minutes);
const dialect = flags.db as BenchDialect;
const salesRate = Number(flags['sales-rate']);
const sampleMs = Number(flags['sample-s']) * 1000;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const csvPath = flags.csv ?? join(ROOT, 'bench', 'soak', `soak-${dialect}-${stamp}.csv`);
const chartPath = flags.chart ?? csvPath.replace(/\.csv$/, '.svg');
const MAX_IN_FLIGHT = 64;

/** Operations per second of each kind, relative to the sales rate (a counter's day: mostly sales, few refunds). */
const MIX = { sale: 1, get_sale: 0.2, refund_key: 0.04, refund_cancel: 0.02 } as const;
type Kind = keyof typeof MIX;

interface Sample {
  t_s: number;
  rss_mb: number;
  in_flight: number;
  errors: number;
  dropped: number;
  [column: string]: number;
}

const windows = new Map<Kind, number[]>();
let errors = 0;
/** Errors by operation, status and error code, printed at the end: what failed, not only how often. */
const errorKinds = new Map<string, number>();
let dropped = 0;
let inFlight = 0;

async function main(): Promise<void> {
  if (!(minutes > 0) || !(salesRate > 0) || (dialect !== 'sqlite' && dialect !== 'postgres'))
    throw new Error('usage: --minutes N --db sqlite|postgres');
  buildIfStale();
  const database = await freshDatabase(dialect, 'soak');
  runCli(['migrate', '--database-url', database.url]);
  const demo = createDemo(database.url);
  const server = await startRefundkey(database.url);
  const samples: Sample[] = [];
  try {
    const terminals = await activateAll(server.url, demo);
    const ops = operations(server.url, terminals, demo.refund_key);
    const sales: SoldAt[] = [];
    for (let i = 0; i < 20; i++) sales.push(await ops.sale());
    process.stderr.write(
      `soak: ${minutes} min on ${dialect}, ${salesRate} sales/s + mix ${JSON.stringify(MIX)}; csv ${csvPath}\n`,
    );

    const started = performance.now();
    const credit = new Map<Kind, number>();
    const tick = setInterval(() => {
      for (const kind of Object.keys(MIX) as Kind[]) {
        credit.set(kind, (credit.get(kind) ?? 0) + MIX[kind] * salesRate * 0.1);
        while ((credit.get(kind) ?? 0) >= 1) {
          credit.set(kind, (credit.get(kind) ?? 0) - 1);
          if (inFlight >= MAX_IN_FLIGHT) {
            dropped++;
            continue;
          }
          void timed(kind, () =>
            kind === 'sale'
              ? ops.sale().then((sold) => void sales.push(sold))
              : kind === 'get_sale'
                ? ops.getSale(pick(sales))
                : ops.refund(pick(sales), kind === 'refund_key'),
          );
        }
      }
    }, 100);
    // A settlement a minute keeps each batch to a realistic size, as a day's close would.
    const settle = setInterval(() => {
      ops.settle().catch(() => {
        errors++;
      });
    }, 60_000);
    const sampler = setInterval(() => {
      samples.push(sample((performance.now() - started) / 1000, server.pid));
      const last = samples.at(-1);
      process.stderr.write(
        `  ${last?.t_s.toFixed(0)} s  rss ${last?.rss_mb} MB  sale p99 ${last?.sale_p99_ms} ms  errors ${errors}  dropped ${dropped}\n`,
      );
    }, sampleMs);
    await new Promise((done) => setTimeout(done, minutes * 60_000));
    clearInterval(sampler);
    samples.push(sample((performance.now() - started) / 1000, server.pid));
    clearInterval(tick);
    clearInterval(settle);
    while (inFlight > 0) await new Promise((done) => setTimeout(done, 50));
  } finally {
    await server.stop();
    await database.drop();
  }
  mkdirSync(dirname(csvPath), { recursive: true });
  writeFileSync(csvPath, toCsv(samples));
  mkdirSync(dirname(chartPath), { recursive: true });
  writeFileSync(
    chartPath,
    chart(samples, `refundkey soak, ${dialect}, ${salesRate} sales/s + refunds, ${minutes} min`),
  );
  const first = samples[0];
  const last = samples.at(-1);
  console.log(
    `samples ${samples.length}; rss ${first?.rss_mb} → ${last?.rss_mb} MB (max ${Math.max(...samples.map((s) => s.rss_mb))}); sale p99 ${first?.sale_p99_ms} → ${last?.sale_p99_ms} ms; errors ${errors}; dropped ${dropped}`,
  );
  for (const [why, count] of [...errorKinds].sort((a, b) => b[1] - a[1])) console.log(`  ${count} × ${why}`);
  console.log(`wrote ${csvPath} and ${chartPath}`);
}

/** A sale and the terminal that took it: its store's terminal reads it and refunds it, as at the counter. */
interface SoldAt {
  id: string;
  terminal: BenchTerminal;
}

function pick(sales: SoldAt[]): SoldAt {
  return sales[Math.floor(Math.random() * sales.length)] as SoldAt;
}

async function timed(kind: Kind, run: () => Promise<unknown>): Promise<void> {
  inFlight++;
  const start = performance.now();
  try {
    await run();
    const list = windows.get(kind) ?? [];
    list.push(performance.now() - start);
    windows.set(kind, list);
  } catch (error) {
    errors++;
    // The status and error code, without the request id, so that alike failures are counted together.
    const message = (error as Error).message;
    const why = `${kind}: ${message.replace(/"request_id":"[^"]*"/, '').replace(/"message":"[^"]*",?/, '')}`.slice(
      0,
      120,
    );
    errorKinds.set(why, (errorKinds.get(why) ?? 0) + 1);
  } finally {
    inFlight--;
  }
}

/** The terminal API calls of the mix; each throws unless the answer is the expected 2xx. */
function operations(base: string, terminals: BenchTerminal[], refundKey: string) {
  let next = 0;
  const terminal = () => terminals[next++ % terminals.length] as BenchTerminal;
  const expect = <A extends { status: number; text: string }>(answer: A, status: number): A => {
    if (answer.status !== status) throw new Error(`${answer.status} ${answer.text}`);
    return answer;
  };
  return {
    async sale(): Promise<SoldAt> {
      const t = terminal();
      const answer = await call(base, 'POST', '/v1/sales', {
        body: { amount: 5_000 + Math.floor(Math.random() * 20_000), currency: 'CNY', payment_method: CARD_OK },
        headers: terminalHeaders(t, { 'idempotency-key': randomUUID() }),
      });
      return { id: field(expect(answer, 201).body, 'id'), terminal: t };
    },
    async getSale({ id, terminal: t }: SoldAt): Promise<void> {
      expect(await call(base, 'GET', `/v1/sales/${id}`, { headers: terminalHeaders(t) }), 200);
    },
    /** A small refund (key only under the default policy), then authorized with the key or canceled. */
    async refund({ id: saleId, terminal: t }: SoldAt, authorize: boolean): Promise<void> {
      const created = await call(base, 'POST', '/v1/refunds', {
        body: { sale_id: saleId, amount: 100, reason: 'soak' },
        headers: terminalHeaders(t, { 'idempotency-key': randomUUID() }),
      });
      // A sale refunded to its limit answers 422: part of a steady day, not an error of the server.
      if (created.status === 422) return;
      const id = field(expect(created, 201).body, 'id');
      const path = `/v1/refunds/${id}/${authorize ? 'authorize' : 'cancel'}`;
      expect(
        await call(base, 'POST', path, {
          body: authorize ? { refund_key: refundKey } : {},
          headers: terminalHeaders(t),
        }),
        200,
      );
    },
    async settle(): Promise<void> {
      expect(
        await call(base, 'POST', '/v1/settlements', {
          body: { allow_empty: true },
          headers: terminalHeaders(terminals[0] as BenchTerminal, { 'idempotency-key': randomUUID() }),
        }),
        201,
      );
    },
  };
}

function sample(tS: number, pid: number): Sample {
  const row: Sample = { t_s: round(tS), rss_mb: round(rssMb(pid)), in_flight: inFlight, errors, dropped };
  for (const kind of Object.keys(MIX) as Kind[]) {
    const list = (windows.get(kind) ?? []).sort((x, y) => x - y);
    row[`${kind}_per_s`] = round(list.length / (sampleMs / 1000));
    row[`${kind}_p50_ms`] = round(percentile(list, 0.5));
    row[`${kind}_p99_ms`] = round(percentile(list, 0.99));
    windows.set(kind, []);
  }
  return row;
}

function toCsv(samples: Sample[]): string {
  const columns = Object.keys(samples[0] ?? { t_s: 0 });
  return `${columns.join(',')}\n${samples.map((s) => columns.map((c) => s[c]).join(',')).join('\n')}\n`;
}

/** Two stacked line charts (RSS; sale and refund p99) over time, as a self-contained SVG. */
export function chart(samples: Sample[], title: string): string {
  const width = 760;
  const panel = 170;
  const left = 60;
  const plotWidth = width - left - 20;
  const maxT = Math.max(1, ...samples.map((s) => s.t_s));
  const x = (t: number) => left + (t / maxT) * plotWidth;
  const parts: string[] = [];
  const drawPanel = (top: number, label: string, series: Array<{ name: string; color: string; values: number[] }>) => {
    const maxY = Math.max(1, ...series.flatMap((s) => s.values)) * 1.1;
    const y = (v: number) => top + panel - (v / maxY) * panel;
    parts.push(`<rect x="${left}" y="${top}" width="${plotWidth}" height="${panel}" fill="none" stroke="#bbb"/>`);
    parts.push(`<text x="${left}" y="${top - 6}" font-size="12">${label}</text>`);
    for (const fraction of [0, 0.5, 1]) {
      parts.push(
        `<text x="${left - 6}" y="${y(maxY * fraction) + 4}" font-size="10" text-anchor="end">${round(maxY * fraction)}</text>`,
      );
    }
    series.forEach((s, i) => {
      const points = s.values.map((v, j) => `${x(samples[j]?.t_s ?? 0).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${points}"/>`);
      parts.push(`<text x="${left + 10 + i * 150}" y="${top + 14}" font-size="11" fill="${s.color}">${s.name}</text>`);
    });
  };
  drawPanel(40, 'server RSS (MB)', [{ name: 'rss_mb', color: '#1f77b4', values: samples.map((s) => s.rss_mb) }]);
  drawPanel(260, 'latency p99 per 10 s window (ms)', [
    { name: 'sale p99', color: '#d62728', values: samples.map((s) => s.sale_p99_ms ?? 0) },
    { name: 'refund (key) p99', color: '#2ca02c', values: samples.map((s) => s.refund_key_p99_ms ?? 0) },
    { name: 'sale p50', color: '#ff7f0e', values: samples.map((s) => s.sale_p50_ms ?? 0) },
  ]);
  parts.push(
    `<text x="${left + plotWidth / 2}" y="${260 + panel + 30}" font-size="11" text-anchor="middle">time (s), 0 … ${round(maxT)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${260 + panel + 45}" font-family="sans-serif">
<text x="${left}" y="20" font-size="14" font-weight="bold">${title}</text>
${parts.join('\n')}
</svg>
`;
}

await main();
