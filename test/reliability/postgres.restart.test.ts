// Issue 10 "Operations" 1: the server survives its PostgreSQL server restarting. A real `refundkey serve` process runs on
// a throwaway cluster of its own; concurrent terminals take sales while the cluster is stopped (fast shutdown: every
// session ends with 57P01) and started again. Regression: an idle pool client's 'error' event was unhandled and killed
// the process; requests during the outage got 500.
//   - the process stays up; requests during the outage answer 503 DATABASE_UNAVAILABLE (never 500), /healthz 503;
//   - afterwards /healthz is 200 and sales succeed again without a restart of refundkey;
//   - every sale that got a 2xx is in the database, each idempotency key made exactly one sale, no charge is doubled.
// And `serve` started before its database waits for it with backoff, saying so, instead of failing at the migration.

import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, type ServerProcess, startRefundkey } from '../../bench/lib/processes.js';
import {
  activateAll,
  type BenchTerminal,
  CARD_OK,
  call,
  type DemoJson,
  terminalHeaders,
} from '../../bench/lib/terminal-api.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { quietPort as freePort } from '../support/ports.js';
import { bundledCli } from '../support/server-process.js';
import { ThrowawayPostgres } from './support/throwaway-postgres.js';

interface KeyedSale {
  key: string;
  amount: number;
  /** Every status this key was answered with, in order (0: no HTTP answer). */
  statuses: number[];
  codes: string[];
  saleId?: string;
}

const CLIENTS = 6;

describe('PostgreSQL restart under load', () => {
  let cluster: ThrowawayPostgres;
  let server: ServerProcess;
  let database: Database;
  let terminals: BenchTerminal[];

  beforeAll(async () => {
    cluster = await ThrowawayPostgres.start();
    const url = await cluster.createDatabase('refundkey_restart');
    runCli(['migrate', '--database-url', url], {}, bundledCli());
    const demo = JSON.parse(
      runCli(['demo', '--json', '--database-url', url], {}, bundledCli()).trim().split('\n').pop() ?? '{}',
    ) as DemoJson;
    server = await startRefundkey(url, {}, { cli: bundledCli() });
    terminals = await activateAll(server.url, demo);
    database = openDatabase(url, { poolSize: 2 });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.close();
    cluster?.destroy();
  });

  it('stays up, answers 503 while the database is away, resumes by itself and loses or doubles nothing', async () => {
    const sales: KeyedSale[] = [];
    const health: number[] = [];
    let running = true;
    let seq = 0;
    const alive = () => server.child.exitCode === null && server.child.signalCode === null;

    /** One sale, retried with the same key until it gets a 2xx (as a terminal does). */
    const oneSale = async (terminal: BenchTerminal) => {
      const sale: KeyedSale = { key: randomUUID(), amount: 100 + (seq++ % 500), statuses: [], codes: [] };
      sales.push(sale);
      const body = {
        amount: sale.amount,
        currency: 'CNY',
        payment_method: seq % 2 ? CARD_OK : { type: 'cash', tendered: 100_000 },
      };
      // A server that died answers nothing more: stop, and let the assertions say so.
      while (alive()) {
        let answer: Awaited<ReturnType<typeof call>> | undefined;
        try {
          answer = await call(server.url, 'POST', '/v1/sales', {
            body,
            headers: terminalHeaders(terminal, { 'idempotency-key': sale.key }),
          });
        } catch {
          answer = undefined;
        }
        sale.statuses.push(answer?.status ?? 0);
        const code = (answer?.body as { error?: { code?: string } } | undefined)?.error?.code;
        if (code) sale.codes.push(code);
        if (answer && answer.status >= 200 && answer.status < 300) {
          sale.saleId = (answer.body as { id: string }).id;
          return;
        }
        await sleep(100);
      }
    };
    const client = async (n: number) => {
      const terminal = terminals[n % terminals.length] as BenchTerminal;
      while (running && alive()) await oneSale(terminal);
    };
    const poller = (async () => {
      while (running) {
        health.push((await fetch(`${server.url}/healthz`).catch(() => undefined))?.status ?? 0);
        await sleep(100);
      }
    })();

    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    await sleep(1_500);
    const beforeOutage = sales.filter((s) => s.saleId).length;
    cluster.stopServer('fast');
    await sleep(1_000);
    // One request during the outage, read in full: the envelope, Retry-After, a request id, no internals.
    const probe = await fetch(`${server.url}/v1/sales`, {
      method: 'POST',
      headers: terminalHeaders(terminals[0] as BenchTerminal, {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      }),
      body: JSON.stringify({ amount: 100, currency: 'CNY', payment_method: { type: 'cash', tendered: 100 } }),
    }).catch((error: unknown) => {
      throw new Error(`refundkey did not answer during the outage: ${String(error)}\n${server.stderrTail()}`);
    });
    const probeText = await probe.text();
    expect(probe.status).toBe(503);
    expect(probe.headers.get('retry-after')).toBe('2');
    const probeBody = JSON.parse(probeText) as { error: Record<string, unknown> };
    expect(probeBody.error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retry_after_s: 2 });
    expect(probeBody.error.request_id).toBe(probe.headers.get('request-id'));
    expect(probeText).not.toMatch(/ECONNREFUSED|57P01|127\.0\.0\.1|postgres/i);
    await sleep(2_000);
    const healthDuringOutage = health.slice(-10);
    const statusesDuringOutage = sales.flatMap((s) => s.statuses).slice(-20);
    cluster.startServer();
    await sleep(3_000);
    running = false;
    await Promise.all([load, poller]);

    // The process is still the same one, and it answered during the outage.
    expect(server.child.exitCode, server.stderrTail()).toBeNull();
    expect(server.child.signalCode).toBeNull();
    expect(beforeOutage).toBeGreaterThan(0);
    expect(healthDuringOutage).toContain(503);
    expect(statusesDuringOutage).toContain(503);
    expect(health.at(-1)).toBe(200);

    const statuses = new Set(sales.flatMap((s) => s.statuses));
    // Only success and "retry shortly": no 500, no lost connection to refundkey itself.
    expect([...statuses].filter((s) => ![201, 202, 503].includes(s))).toEqual([]);
    expect(new Set(sales.flatMap((s) => s.codes))).toEqual(new Set(['DATABASE_UNAVAILABLE']));
    const afterOutage = sales.slice(-CLIENTS * 3);
    expect(afterOutage.every((s) => s.saleId)).toBe(true);

    // Every acknowledged sale is stored, once; each key made exactly one sale; no charge twice.
    const acked = sales.filter((s) => s.saleId);
    expect(acked.length).toBe(sales.length);
    const ids = acked.map((s) => s.saleId as string);
    expect(new Set(ids).size).toBe(ids.length);
    const stored = await database.db.selectFrom('sales').select(['id', 'amount']).execute();
    const byId = new Map(stored.map((r) => [r.id, Number(r.amount)]));
    for (const s of acked) expect(byId.get(s.saleId as string), s.key).toBe(s.amount);
    expect(stored.length).toBe(acked.length);
    const keys = await database.db.selectFrom('idempotency_keys').select('key').execute();
    expect(keys.length).toBe(acked.length);
    const doubled = await sql<{ reference: string }>`
      select reference from acquirer_sandbox_ops where kind = 'charge' group by reference having count(*) > 1`.execute(
      database.db,
    );
    expect(doubled.rows).toEqual([]);
  });
});

describe('serve waits for the database at start', () => {
  let cluster: ThrowawayPostgres;
  afterAll(() => cluster?.destroy());

  // Regression: a database still starting gave "migration unknown failed: connect ECONNREFUSED" and exit.
  it('retries with backoff and a clear line, then serves once PostgreSQL is up', async () => {
    cluster = await ThrowawayPostgres.start();
    const url = await cluster.createDatabase('refundkey_wait');
    cluster.stopServer('fast');
    const port = await freePort();
    const child = spawn(process.execPath, [...bundledCli(), 'serve', '--port', String(port), '--database-url', url], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_WAIT_SECONDS: '60' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout.resume();
    try {
      const until = Date.now() + 30_000;
      while (!stderr.includes('retrying in 1 s') && Date.now() < until) await sleep(100);
      const waiting = stderr.trim().split('\n');
      expect(waiting[0]).toBe(
        `等待数据库 / waiting for the database at postgres://postgres@127.0.0.1:${cluster.port}/refundkey_wait: connect ECONNREFUSED 127.0.0.1:${cluster.port}; retrying in 0.5 s`,
      );
      expect(waiting[1]).toContain('retrying in 1 s');
      expect(child.exitCode).toBeNull();
      cluster.startServer();
      let healthy = false;
      for (const until = Date.now() + 30_000; !healthy && Date.now() < until; await sleep(200)) {
        healthy = (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;
      }
      expect(healthy, stderr).toBe(true);
      expect(stderr).not.toMatch(/\n\s+at |migration .* failed/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('gives up after DATABASE_WAIT_SECONDS with one line naming the database and the fix', async () => {
    const port = await freePort();
    const url = `postgres://refundkey:secret-password@127.0.0.1:${await freePort()}/nowhere`;
    const answer = runCliStatus(['serve', '--port', String(port), '--database-url', url], {
      DATABASE_WAIT_SECONDS: '1',
    });
    expect(answer.status).toBe(2);
    const lines = answer.stderr.trim().split('\n');
    expect(lines.at(-1)?.trim()).toMatch(
      /^DATABASE_URL: the database at postgres:\/\/refundkey@127\.0\.0\.1:\d+\/nowhere did not answer within 1 s \(connect ECONNREFUSED .*\); start it, fix DATABASE_URL, or wait longer with DATABASE_WAIT_SECONDS$/,
    );
    // The password in the URL is never printed.
    expect(answer.stderr).not.toContain('secret-password');
  });
});

function runCliStatus(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [...bundledCli(), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}
