// Issue 10 "Operations" 7: backups of the embedded database, and a SIGTERM that drains.
//   - `refundkey backup --to FILE` taken while the real server takes sales restores (`refundkey restore`) to a database
//     that holds every sale acknowledged before the backup began, each as acknowledged, and nothing the live database
//     does not have; `refundkey audit verify` passes on the restored copy;
//   - restore refuses a database a running server has open, and keeps the one it replaces;
//   - SIGTERM under load: requests already in flight are answered, every 2xx sale is stored, the process exits 0.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
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
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { bundledCli } from '../support/server-process.js';

const run = promisify(execFile);

/** `refundkey <args>` from the sources, without blocking the load running in this process. */
async function refundkey(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...bundledCli(), ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

interface Acked {
  id: string;
  amount: number;
  at: number;
}

/** Sales from `clients` terminals until `until()`; every 201 with the time it was answered. */
async function salesLoad(base: string, terminals: BenchTerminal[], until: () => boolean, clients = 4) {
  const acked: Acked[] = [];
  const failures: string[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const terminal = terminals[c % terminals.length] as BenchTerminal;
      while (!until()) {
        const amount = 100 + (n++ % 900);
        const answer = await call(base, 'POST', '/v1/sales', {
          body: { amount, currency: 'CNY', payment_method: n % 2 ? CARD_OK : { type: 'cash', tendered: 100_000 } },
          headers: terminalHeaders(terminal, { 'idempotency-key': randomUUID() }),
        });
        if (answer.status === 201) acked.push({ id: (answer.body as { id: string }).id, amount, at: Date.now() });
        else failures.push(`${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }),
  );
  return { acked, failures };
}

async function salesOf(url: string): Promise<Map<string, { amount: number; status: string }>> {
  const database = openDatabase(url);
  try {
    const rows = await database.db.selectFrom('sales').select(['id', 'amount', 'status']).execute();
    return new Map(rows.map((r) => [r.id, { amount: Number(r.amount), status: r.status }]));
  } finally {
    await database.close();
  }
}

describe('SQLite backup while serving, restore, SIGTERM drain', () => {
  let test: TestDatabase;
  let url: string;
  let file: string;
  let server: ServerProcess;
  let terminals: BenchTerminal[];
  const servers: ServerProcess[] = [];
  const start = async () => {
    const started = await startRefundkey(url, {}, { cli: bundledCli() });
    servers.push(started);
    return started;
  };

  // Not LiveDatabase: restore must find the database closed by everyone, and LiveDatabase keeps a connection open.
  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    url = test.url;
    file = url.slice('sqlite:'.length);
    runCli(['migrate', '--database-url', url], {}, bundledCli());
    const demo = JSON.parse(
      runCli(['demo', '--json', '--database-url', url], {}, bundledCli()).trim().split('\n').pop() ?? '{}',
    ) as DemoJson;
    server = await start();
    terminals = await activateAll(server.url, demo);
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await test?.drop();
  });

  it('a backup taken under load restores to every sale acknowledged before it, and audit verify passes', async () => {
    const backup = join(dirname(file), 'backup-under-load.db');
    let stop = false;
    const load = salesLoad(server.url, terminals, () => stop);
    await sleep(1_000);
    const startedAt = Date.now();
    const taken = await refundkey(['backup', '--to', backup, '--database-url', url]);
    await sleep(500);
    stop = true;
    const { acked, failures } = await load;
    expect(taken.status, taken.stderr).toBe(0);
    expect(taken.stdout).toMatch(/backup written: .*backup-under-load\.db \(\d+ bytes, \d+ sales, \d+ audit entries\)/);
    expect(failures).toEqual([]);
    const before = acked.filter((s) => s.at < startedAt);
    expect(before.length).toBeGreaterThan(10);
    expect(acked.length).toBeGreaterThan(before.length); // the load went on during the backup

    // Never over an existing file; never for PostgreSQL (it says how instead).
    const again = await refundkey(['backup', '--to', backup, '--database-url', url]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists already');
    const pg = await refundkey(['backup', '--to', `${backup}.x`, '--database-url', 'postgres://u@127.0.0.1:1/db']);
    expect(pg.status).toBe(2);
    expect(pg.stderr).toContain('pg_dump -Fc');

    // Restore into a fresh path: the copy holds every sale acknowledged before the backup, as acknowledged, and
    // only sales the live database also has.
    const restoredFile = join(dirname(file), 'restored.db');
    const restored = await refundkey(['restore', '--from', backup, '--database-url', `sqlite:${restoredFile}`]);
    expect(restored.status, restored.stderr).toBe(0);
    const restoredSales = await salesOf(`sqlite:${restoredFile}`);
    const liveSales = await salesOf(url);
    for (const sale of before) expect(restoredSales.get(sale.id)?.amount, sale.id).toBe(sale.amount);
    for (const [id, sale] of restoredSales) expect(liveSales.get(id)?.amount, id).toBe(sale.amount);
    for (const sale of acked) expect(liveSales.get(sale.id)?.amount, sale.id).toBe(sale.amount);

    const verified = await refundkey(['audit', 'verify', '--database-url', `sqlite:${restoredFile}`]);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);

    // Restoring over the database the server has open is refused, and changes nothing.
    const refused = await refundkey(['restore', '--from', backup, '--database-url', url]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('is in use (a running server?)');
    expect((await salesOf(url)).size).toBe(liveSales.size);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // A file that is not a refundkey backup is refused before anything is touched.
    const bogus = await refundkey(['restore', '--from', join(ROOT, 'package.json'), '--database-url', url]);
    expect(bogus.status).not.toBe(0);
  });

  it('SIGTERM under load: in-flight requests are answered, every 2xx is stored, exit 0', async () => {
    const outcomes: Array<{ status: number; id?: string; amount: number } | { error: string; amount: number }> = [];
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      const terminal = terminals[i % terminals.length] as BenchTerminal;
      const amount = 5_000 + i;
      inFlight.push(
        call(server.url, 'POST', '/v1/sales', {
          body: { amount, currency: 'CNY', payment_method: CARD_OK },
          headers: terminalHeaders(terminal, { 'idempotency-key': randomUUID() }),
        }).then(
          (answer) => {
            outcomes.push({ status: answer.status, id: (answer.body as { id?: string }).id, amount });
          },
          (error: { cause?: { code?: string } }) => {
            outcomes.push({ error: error.cause?.code ?? String(error), amount });
          },
        ),
      );
      if (i === 20) server.child.kill('SIGTERM');
    }
    const exited = new Promise<number | null>((done) => server.child.once('exit', (code) => done(code)));
    await Promise.all(inFlight);
    expect(await exited).toBe(0);

    // Answered (201), or refused before anything started (503 while closing, connection refused): never cut off.
    const cutOff = outcomes.filter((o) => 'error' in o && o.error !== 'ECONNREFUSED');
    expect(cutOff).toEqual([]);
    const statuses = outcomes.flatMap((o) => ('status' in o ? [o.status] : []));
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    const stored = await salesOf(url);
    for (const o of outcomes) {
      if ('status' in o && o.status === 201) expect(stored.get(o.id ?? '')?.amount).toBe(o.amount);
    }
  });

  it('restore into the stopped server keeps the replaced database, and the server starts on the restored one', async () => {
    const backup = join(dirname(file), 'backup-stopped.db');
    expect((await refundkey(['backup', '--to', backup, '--database-url', url])).status).toBe(0);
    const salesBefore = await salesOf(url);
    const restored = await refundkey(['restore', '--from', backup, '--database-url', url]);
    expect(restored.status, restored.stderr).toBe(0);
    const kept = /kept as (\S+)/.exec(restored.stdout)?.[1] ?? '';
    expect(existsSync(kept)).toBe(true);
    expect((await salesOf(`sqlite:${kept}`)).size).toBe(salesBefore.size);
    expect(await salesOf(url)).toEqual(salesBefore);
    const again = await start();
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    expect((await refundkey(['audit', 'verify', '--database-url', url])).status).toBe(0);
  });
});
