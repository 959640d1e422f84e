import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type RequestSpec, type SequenceStep } from 'autocannon';

/** One measured run: successful operations per second, latency in ms, and everything that was not a 2xx. */
export interface Measure {
  ops_per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

export interface LoadOptions {
  /** One URL per server process; autocannon spreads the connections over them. */
  urls: string[];
  connections: number;
  durationS: number;
  /** Requests per second over all connections (round trips: operations per second); unset = as fast as possible. */
  rate?: number;
}

/** A request built fresh for each send (new idempotency key, next terminal). */
export type RequestFactory = () => RequestSpec;

/** Single requests (one operation = one request); latency and throughput from autocannon. */
export async function runRequests(options: LoadOptions, make: RequestFactory): Promise<Measure> {
  const result = await autocannon({
    url: options.urls,
    connections: options.connections,
    duration: options.durationS,
    timeout: 30,
    ...(options.rate ? { overallRate: Math.max(1, Math.round(options.rate)) } : {}),
    requests: [{ setupRequest: (request) => ({ ...request, ...make() }) }],
  });
  return {
    ops_per_s: round(result['2xx'] / options.durationS),
    p50_ms: round(result.latency.p50),
    p99_ms: round(result.latency.p99),
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Requests at a constant arrival rate: request i is due at start + i / rate, whatever became of the earlier ones, over
 * at most `connections` keep-alive sockets (a request finding them all busy waits for one). Latency runs from the
 * request's scheduled time, not from when a socket took it, so time spent queued behind a slow answer counts — the
 * coordinated-omission-corrected latency. (autocannon's `overallRate` is a per-second budget per connection: each
 * connection sends its share back to back from the start of every second, then waits, so "half load" was the peak for
 * half of each second.)
 */
export async function runPaced(options: LoadOptions & { rate: number }, make: RequestFactory): Promise<Measure> {
  const perUrl = Math.max(1, Math.ceil(options.connections / options.urls.length));
  const agents = options.urls.map(() => new Agent({ keepAlive: true, maxSockets: perUrl }));
  const interval = 1000 / options.rate;
  const total = Math.max(1, Math.floor(options.rate * options.durationS));
  const latencies: number[] = [];
  let errors = 0;
  const send = (index: number, due: number) =>
    new Promise<void>((done) => {
      const spec = make();
      const url = new URL(options.urls[index % options.urls.length] ?? '');
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: spec.method ?? 'GET',
          path: spec.path ?? '/',
          headers: spec.headers as Record<string, string> | undefined,
          agent: agents[index % agents.length],
          timeout: 30_000,
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) latencies.push(performance.now() - due);
            else errors++;
            done();
          });
        },
      );
      req.once('error', () => {
        errors++;
        done();
      });
      req.end(typeof spec.body === 'string' ? spec.body : undefined);
    });
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let sent = 0; sent < total; ) {
    const now = performance.now();
    // Everything due by now goes out now (timers are late by up to a millisecond; the latency still runs from `due`).
    while (sent < total && start + sent * interval <= now) {
      inFlight.push(send(sent, start + sent * interval));
      sent++;
    }
    if (sent < total) await sleep(Math.max(0, start + sent * interval - performance.now()));
  }
  await Promise.all(inFlight);
  for (const agent of agents) agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    ops_per_s: round(latencies.length / options.durationS),
    p50_ms: round(percentile(latencies, 0.5)),
    p99_ms: round(percentile(latencies, 0.99)),
    errors,
  };
}

/**
 * One step of a round trip: builds its request from what earlier steps stored in `context`, and reads its answer into
 * it. Returning undefined abandons the round trip (counted as an error).
 */
export interface Step {
  build(context: Record<string, unknown>): RequestSpec | undefined;
  read?(body: string, context: Record<string, unknown>): void;
}

/** Round trips of several requests (create + authorize); latency measured from the first send to the last answer. */
export async function runRoundTrips(options: LoadOptions, steps: Step[]): Promise<Measure> {
  const latencies: number[] = [];
  let failed = 0;
  const last = steps.length - 1;
  const sequence: SequenceStep[] = steps.map((step, index) => ({
    setupRequest: (request, context) => {
      if (index === 0) context.t0 = performance.now();
      else if (context.failed) return undefined;
      const built = step.build(context);
      if (!built) {
        context.failed = true;
        failed++;
        return undefined;
      }
      return { ...request, ...built };
    },
    onResponse: (status, body, context) => {
      if (status < 200 || status >= 300) {
        if (!context.failed) failed++;
        context.failed = true;
        return;
      }
      step.read?.(body, context);
      if (index === last && typeof context.t0 === 'number') latencies.push(performance.now() - context.t0);
    },
  }));
  const result = await autocannon({
    url: options.urls,
    connections: options.connections,
    duration: options.durationS,
    timeout: 30,
    ...(options.rate ? { overallRate: Math.max(1, Math.round(options.rate * steps.length)) } : {}),
    requests: sequence,
  });
  latencies.sort((a, b) => a - b);
  return {
    ops_per_s: round(latencies.length / options.durationS),
    p50_ms: round(percentile(latencies, 0.5)),
    p99_ms: round(percentile(latencies, 0.99)),
    errors: failed + result.errors + result.timeouts,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
