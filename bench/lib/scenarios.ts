import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { RequestSpec } from 'autocannon';
import { type LoadOptions, type Measure, runRequests, runRoundTrips, type Step } from './load.js';
import { RssSampler, type ServerProcess } from './processes.js';
import { type BenchTerminal, CARD_OK, call, type DemoJson, makeSales, terminalHeaders } from './terminal-api.js';

export interface ScenarioResult extends Partial<Measure> {
  name: string;
  db: string;
  processes: number;
  rss_peak_mb?: number;
  skipped?: string;
  [extra: string]: unknown;
}

export interface Timing {
  warmupS: number;
  durationS: number;
  connections: number;
}

/** Everything a scenario needs: the server processes, the demo merchant's activated terminals, the timing. */
export interface Target {
  db: string;
  servers: ServerProcess[];
  demo: DemoJson;
  terminals: BenchTerminal[];
  timing: Timing;
}

/**
 * A refund that needs a one-time code under the default store policy (key alone up to ¥200.00, key + code up to
 * ¥2,000.00): the round trip therefore verifies the refund key too.
 */
const CODE_REFUND_AMOUNT = 25_000;

const SALE_BODY = JSON.stringify({ amount: 1234, currency: 'CNY', payment_method: CARD_OK });

/** A card sale on the next terminal with a fresh idempotency key. */
export function saleRequest(terminals: BenchTerminal[]): () => RequestSpec {
  let next = 0;
  return () => {
    const terminal = terminals[next++ % terminals.length] as BenchTerminal;
    return {
      method: 'POST',
      path: '/v1/sales',
      headers: terminalHeaders(terminal, { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      body: SALE_BODY,
    };
  };
}

/** Warm up for warmupS, then measure for durationS, sampling the servers' RSS during the measured part. */
async function measured(
  target: Target,
  run: (options: LoadOptions) => Promise<Measure>,
  rate?: number,
  connections = target.timing.connections,
) {
  const urls = target.servers.map((s) => s.url);
  if (target.timing.warmupS > 0)
    await run({ urls, connections, durationS: target.timing.warmupS, ...(rate ? { rate } : {}) });
  const sampler = new RssSampler(target.servers.map((s) => s.pid)).start();
  const measure = await run({ urls, connections, durationS: target.timing.durationS, ...(rate ? { rate } : {}) });
  return { ...measure, rss_peak_mb: sampler.stop() };
}

function entry(target: Target, name: string): Pick<ScenarioResult, 'name' | 'db' | 'processes'> {
  return { name, db: target.db, processes: target.servers.length };
}

/** Card sales through the terminal API as fast as the server takes them. */
export async function salesCard(target: Target, name = 'sales_card'): Promise<ScenarioResult> {
  const make = saleRequest(target.terminals);
  return { ...entry(target, name), ...(await measured(target, (o) => runRequests(o, make))) };
}

/**
 * Card sales at a constant arrival rate (runPaced) on a worker thread of its own: its timer and its clock are not held
 * up by the autocannon load that shares the bench process (the refund round trips of `refund_key`), so the latency it
 * reports is the server's.
 */
async function runPacedSales(options: LoadOptions & { rate: number }, terminals: BenchTerminal[]): Promise<Measure> {
  // The worker loads the TypeScript through tsx's loader, registered in its own thread.
  const source = `(async () => {
    const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
    register();
    await import(${JSON.stringify(new URL('./paced-worker.ts', import.meta.url).href)});
  })();`;
  const worker = new Worker(source, { eval: true, workerData: { options, terminals } });
  const [measure] = (await once(worker, 'message')) as [Measure];
  await worker.terminate();
  return measure;
}

/**
 * The same sales at a constant arrival rate (half the peak, unless the bench is given one), for latency without
 * queueing; p99 corrected for coordinated omission (from each request's scheduled time).
 */
export async function salesHalfLoad(target: Target, rate: number): Promise<ScenarioResult> {
  return {
    ...entry(target, 'sales_card_half_load'),
    ...(await measured(target, (o) => runPacedSales({ ...o, rate }, target.terminals), rate)),
    rate_per_s: rate,
    pacing: 'constant arrival rate; latency from the scheduled send time (coordinated omission corrected)',
  };
}

/** A pool of refundable sales of ¥10,000 (up to 50 refunds each), handed out in turn, each with a terminal. */
async function refundPool(target: Target, sales: number) {
  const base = target.servers[0]?.url ?? '';
  const pool = await makeSales(base, target.terminals, sales, 1_000_000);
  let next = 0;
  return () => pool[next++ % pool.length] as (typeof pool)[number];
}

function refundCreateStep(take: Awaited<ReturnType<typeof refundPool>>, amount = 100): Step {
  return {
    build: (context) => {
      const { saleId, terminal } = take();
      context.terminal = terminal;
      return {
        method: 'POST',
        path: '/v1/refunds',
        headers: terminalHeaders(terminal, { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
        body: JSON.stringify({ sale_id: saleId, amount, reason: 'bench' }),
      };
    },
    read: (body, context) => {
      const refund = JSON.parse(body) as { id: string; authorization?: { required?: string[] } };
      context.refundId = refund.id;
      context.required = refund.authorization?.required ?? [];
    },
  };
}

/**
 * Round trips in flight for `refund_key`: 4 keep the one Argon2id thread busy (each waits ≈ 11 ms per verification
 * ahead of it). 8 were tried on 2026-12-02: no more round trips per second, and some round trips answered non-2xx.
 */
const REFUND_KEY_CONNECTIONS = 4;

function refundKeySteps(take: Awaited<ReturnType<typeof refundPool>>, key: string): Step[] {
  return [
    refundCreateStep(take),
    {
      build: (context) => ({
        method: 'POST',
        path: `/v1/refunds/${String(context.refundId)}/authorize`,
        headers: terminalHeaders(context.terminal as BenchTerminal, { 'content-type': 'application/json' }),
        body: JSON.stringify({ refund_key: key }),
      }),
    },
  ];
}

/**
 * Refund round trips with the refund key (Argon2id), 4 in flight as fast as possible, with nothing else running: the
 * same conditions as the `argon2_verify` baseline they are compared with (what the hash allows).
 */
export async function refundKey(target: Target): Promise<ScenarioResult> {
  const steps = refundKeySteps(await refundPool(target, 150), target.demo.refund_key);
  return {
    ...entry(target, 'refund_key'),
    ...(await measured(target, (options) => runRoundTrips({ ...options, connections: REFUND_KEY_CONNECTIONS }, steps))),
  };
}

/**
 * The same refund round trips while card sales run paced at the half-load rate: the sales' p99 beside refund keys
 * (`sales_p99_ms_during`) against their p99 alone (`sales_p99_ms_alone`, from `sales_card_half_load`). The refunds'
 * own rate here is reported too; it shares the cores with the sales.
 */
export async function refundKeyBesideSales(
  target: Target,
  halfLoadRate: number,
  salesP99Alone: number | undefined,
): Promise<ScenarioResult> {
  const steps = refundKeySteps(await refundPool(target, 150), target.demo.refund_key);
  let salesDuring: Measure | undefined;
  const result = await measured(target, async (options) => {
    const [refunds, sales] = await Promise.all([
      runRoundTrips({ ...options, connections: REFUND_KEY_CONNECTIONS }, steps),
      runPacedSales({ ...options, rate: halfLoadRate }, target.terminals),
    ]);
    salesDuring = sales;
    return refunds;
  });
  return {
    ...entry(target, 'refund_key_beside_sales'),
    ...result,
    sales_rate_per_s: halfLoadRate,
    sales_p99_ms_alone: salesP99Alone,
    sales_p99_ms_during: salesDuring?.p99_ms,
    sales_errors_during: salesDuring?.errors,
  };
}

/**
 * Refund round trips with a one-time code: create, read the code where the server's messages go (the development
 * outbox, as the merchant's phone would), authorize with it. Skipped, with the reason, while the product lacks codes.
 */
export async function refundCode(target: Target): Promise<ScenarioResult> {
  const base = target.servers[0]?.url ?? '';
  const why = await codeSupport(target, base);
  if (typeof why === 'string') return { ...entry(target, 'refund_code'), skipped: why };
  const take = await refundPool(target, 150);
  const recipient = why.recipient;
  const key = target.demo.refund_key;
  const steps: Step[] = [
    refundCreateStep(take, CODE_REFUND_AMOUNT),
    {
      // The newest 30 messages to the owner: enough for 16 connections' codes plus alerts, without rendering 50 each time.
      build: () => ({ method: 'GET', path: `/dev/outbox?to=${encodeURIComponent(recipient)}&limit=30`, headers: {} }),
      read: (body, context) => {
        context.code = findCode(JSON.parse(body), String(context.refundId));
      },
    },
    {
      build: (context) => {
        if (typeof context.code !== 'string') return undefined;
        const needsKey = Array.isArray(context.required) && context.required.includes('refund_key');
        return {
          method: 'POST',
          path: `/v1/refunds/${String(context.refundId)}/authorize`,
          headers: terminalHeaders(context.terminal as BenchTerminal, { 'content-type': 'application/json' }),
          body: JSON.stringify({ code: context.code, ...(needsKey ? { refund_key: key } : {}) }),
        };
      },
    },
  ];
  // 4 connections, as before issue 9 (this scenario is compared with `insert`, not with the Argon2id baseline).
  const result = await measured(target, (options) => runRoundTrips(options, steps), undefined, 4);
  return {
    ...entry(target, 'refund_code'),
    ...result,
    factors: why.factors,
    note: 'round trip = create + GET /dev/outbox + authorize',
  };
}

/** Whether refunds can be authorized with a one-time code read from the dev outbox; the reason when not. */
async function codeSupport(target: Target, base: string): Promise<string | { recipient: string; factors: string[] }> {
  const take = await refundPool(target, 1);
  const { saleId, terminal } = take();
  const created = await call(base, 'POST', '/v1/refunds', {
    body: { sale_id: saleId, amount: CODE_REFUND_AMOUNT, reason: 'bench probe' },
    headers: terminalHeaders(terminal, { 'idempotency-key': randomUUID() }),
  });
  const refund = created.body as { id?: string; authorization?: { required?: string[] } };
  const factors = refund.authorization?.required ?? [];
  if (!factors.includes('one_time_code')) {
    return `refunds of the demo merchant do not require a one-time code yet (required: ${JSON.stringify(factors)})`;
  }
  for (const recipient of [target.demo.owner.login, '13800138000', target.demo.manager.login, '13900139000']) {
    const outbox = await call(base, 'GET', `/dev/outbox?to=${encodeURIComponent(recipient)}`);
    if (outbox.status === 404) return `GET /dev/outbox is not available (${outbox.status})`;
    if (outbox.status === 200 && typeof findCode(outbox.body, refund.id ?? '') === 'string')
      return { recipient, factors };
  }
  return 'no one-time code for a new refund found in GET /dev/outbox?to=<owner or manager>';
}

/** The code of the newest message that mentions this refund (or, failing that, the newest message with a code). */
export function findCode(outbox: unknown, refundId: string): string | undefined {
  const messages = Array.isArray(outbox)
    ? outbox
    : Array.isArray((outbox as { messages?: unknown })?.messages)
      ? (outbox as { messages: unknown[] }).messages
      : [];
  const mentioning = messages.find((m) => JSON.stringify(m).includes(refundId));
  return codeIn(mentioning);
}

function codeIn(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
    if (/code/i.test(name) && typeof inner === 'string' && /^\d{6,8}$/.test(inner)) return inner;
    const nested = codeIn(inner);
    if (nested) return nested;
  }
  return undefined;
}

/** Close the open batch of each terminal and time it (a day's settlement report). */
export async function settlementReport(target: Target): Promise<ScenarioResult> {
  const base = target.servers[0]?.url ?? '';
  const times: number[] = [];
  const counts: number[] = [];
  for (const terminal of target.terminals) {
    const started = performance.now();
    const answer = await call(base, 'POST', '/v1/settlements', {
      body: { allow_empty: true },
      headers: terminalHeaders(terminal, { 'idempotency-key': randomUUID() }),
    });
    times.push(performance.now() - started);
    if (answer.status !== 201) throw new Error(`settlement failed: ${answer.status} ${answer.text}`);
    counts.push((answer.body as { totals: { sales: { count: number } } }).totals.sales.count);
  }
  times.sort((a, b) => a - b);
  return {
    ...entry(target, 'settlement_report'),
    ops_per_s: Math.round((1000 / Math.max(...times)) * 100) / 100,
    p50_ms: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10,
    p99_ms: Math.round(Math.max(...times) * 10) / 10,
    errors: 0,
    sales_in_batches: counts,
  };
}
