import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { describeDatabase, isDatabaseUnavailable, openDatabase, waitForDatabase } from '../db/database.js';
import { DEV_ROUTES_OFF, devRoutesEnabled, isLoopback, startDraining } from '../http/server.js';
import { createRefundkey, type Refundkey } from '../main.js';
import type { DemoMerchant } from '../modules/demo/demo.service.js';
import { parseFlags } from './flags.js';
import { boundHeapGrowth } from './heap-growth.js';

const HELP = `refundkey serve — run the HTTP server (migrates the schema first)

Options:
  --host <addr>          listen address (env HOST, default 127.0.0.1)
  --port <n>             listen port (env PORT, default 8080)
  --database-url <url>   sqlite:<path> or postgres://... (env DATABASE_URL)
  --demo                 on first start, create a demo merchant and print its credentials (what npm start does)
  -h, --help`;

const DEMO_FILE = './data/demo-credentials.json';

export async function runServe(argv: string[]): Promise<number> {
  const flags = parseFlags(
    argv,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      'database-url': { type: 'string' },
      demo: { type: 'boolean' },
    },
    HELP,
  );
  if (!flags) return 0;
  const config = loadConfig(process.env, {
    host: flags.host as string | undefined,
    port: flags.port as string | undefined,
    databaseUrl: flags['database-url'] as string | undefined,
  });
  boundHeapGrowth();
  await waitForDatabaseAtStart(config);
  const app = await createRefundkey(config);
  app.services.database.onConnectionLost?.((error) =>
    app.services.log.warn(
      { err: error },
      'database connection lost; requests answer 503 DATABASE_UNAVAILABLE until it is back, then resume',
    ),
  );
  const demo = flags.demo ? await firstStartDemo(app, config.databaseUrl) : undefined;
  await listen(app, config);
  app.workers.start();
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  console.log(`\nrefundkey 已启动 / is running on ${base}  (database: ${app.services.database.dialect})`);
  // Browsers refuse passkeys on a bare IP address, so a loopback server is announced as localhost for the pages.
  const pages = isLoopback(config.host) ? `http://localhost:${config.port}` : base;
  console.log(`  商户后台 / console:    ${pages}/console/`);
  console.log(`  收银台 / terminal app: ${pages}/pos/`);
  console.log(`  API 文档 / API docs:  ${base}/docs   OpenAPI: ${base}/openapi.json   health: ${base}/healthz`);
  if (config.env !== 'production' && !devRoutesEnabled(config)) console.log(`  ${DEV_ROUTES_OFF(config.host)}`);
  if (demo) printDemo(demo, base);

  process.once('SIGINT', () => void drainAndExit(app, 'SIGINT'));
  process.once('SIGTERM', () => void drainAndExit(app, 'SIGTERM'));
  return new Promise<number>(() => {});
}

/** How long a drain may take before the process exits anyway (orchestrators send SIGKILL after 30 s by default). */
const DRAIN_TIMEOUT_MS = 25_000;
/**
 * Requests keep being served this long after the signal: a request already sent on a kept-alive connection but not yet
 * read would otherwise see its connection closed (Node closes "idle" connections on close), and a load balancer needs
 * a moment to see /healthz turn 503.
 */
const DRAIN_GRACE_MS = 1_000;

/**
 * Stop without losing anything acknowledged: take no new connections and let in-flight requests finish (their
 * transactions commit and their answers go out), let running worker jobs finish the messages they claimed, then close
 * transports and the database.
 */
async function drainAndExit(app: Refundkey, signal: string): Promise<void> {
  const log = app.services.log;
  log.info({ signal }, 'draining: finishing in-flight requests and worker jobs');
  setTimeout(() => {
    log.error({ signal }, 'drain took too long; exiting');
    process.exit(1);
  }, DRAIN_TIMEOUT_MS).unref();
  startDraining(app.server);
  await new Promise((done) => setTimeout(done, DRAIN_GRACE_MS));
  await app.server.close();
  await app.workers.drain();
  await app.close();
  log.info({ signal }, 'drained; bye');
  process.exit(0);
}

/** Wait for a database that is still starting (a container started alongside), saying so on stderr each retry. */
async function waitForDatabaseAtStart(config: Config): Promise<void> {
  const where = describeDatabase(config.databaseUrl);
  const probe = openDatabase(config.databaseUrl, { poolSize: 1, onPoolError: () => {} });
  try {
    await waitForDatabase(probe, {
      timeoutMs: config.databaseWaitSeconds * 1000,
      onRetry: (error, delayMs) =>
        console.error(
          `等待数据库 / waiting for the database at ${where}: ${reason(error)}; retrying in ${delayMs / 1000} s`,
        ),
    });
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    throw new ConfigError([
      `DATABASE_URL: the database at ${where} did not answer within ${config.databaseWaitSeconds} s (${reason(error)}); start it, fix DATABASE_URL, or wait longer with DATABASE_WAIT_SECONDS`,
    ]);
  } finally {
    await probe.close();
  }
}

function reason(error: unknown): string {
  const { code, message, errors } = error as { code?: string; message?: string; errors?: unknown[] };
  const text =
    (Array.isArray(errors) ? (errors[0] as { message?: string } | undefined)?.message : undefined) ?? message;
  // Socket errors already start with their code ("connect ECONNREFUSED 127.0.0.1:5432"); PostgreSQL's do not.
  return code && !text?.includes(code) ? `${code} ${text ?? ''}`.trim() : (text ?? 'no answer');
}

/** Listen, or explain in one line why not (the port is taken, the address is not this machine's). */
async function listen(app: Refundkey, config: Config): Promise<void> {
  try {
    await app.server.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new ConfigError([
        `PORT: ${config.host}:${config.port} is already in use (another refundkey?); choose a free one with PORT=<n> or --port <n>`,
      ]);
    }
    if (code === 'EACCES') {
      throw new ConfigError([
        `PORT: port ${config.port} needs privileges; use a port above 1023 (PORT=8080 or --port 8080)`,
      ]);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new ConfigError([
        `HOST: ${config.host} is not an address of this machine; use 127.0.0.1 or 0.0.0.0 (HOST or --host)`,
      ]);
    }
    throw error;
  }
}

/**
 * Demo data is created once per database; its credentials are kept in data/ (development only) to show again. On a
 * restart the first terminal's activation code has usually been used already, so it gets a fresh one, kept in the
 * file too (the code only lets a device take that terminal over; the device already activated keeps working until then).
 */
async function firstStartDemo(app: Refundkey, databaseUrl: string): Promise<DemoMerchant> {
  const saved = existsSync(DEMO_FILE)
    ? (JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as { databaseUrl: string; demo: DemoMerchant })
    : undefined;
  let demo: DemoMerchant;
  if (saved?.databaseUrl === databaseUrl) {
    demo = saved.demo;
    const terminal = demo.stores[0]?.terminals[0];
    if (terminal) terminal.activation_code = await app.services.terminals.reissueActivationCode(terminal.id);
  } else {
    demo = await app.services.demo.createDemoMerchant();
  }
  mkdirSync(dirname(DEMO_FILE), { recursive: true });
  writeFileSync(DEMO_FILE, JSON.stringify({ databaseUrl, demo }, null, 2), { mode: 0o600 });
  return demo;
}

function printDemo(demo: DemoMerchant, base: string): void {
  const store = demo.stores[0];
  const terminal = store?.terminals[0];
  const operator = store?.operators[0];
  console.log('\n演示数据 / Demo data (also in data/demo-credentials.json):');
  console.log(`  店主 owner:   ${demo.owner.login} / ${demo.owner.password}`);
  console.log(`  主管 manager: ${demo.manager.login} / ${demo.manager.password}`);
  console.log(`  退款密钥 refund key: ${demo.refund_key}`);
  // Owners and managers must pass a second factor to sign in to the console: the demo enrolled an authenticator app.
  console.log(`  店主二次验证 owner's second factor: authenticator secret ${demo.owner.totp_secret}`);
  console.log(`    or a one-time backup code: ${demo.owner.backup_codes[0] ?? '-'}`);
  if (store && terminal && operator) {
    console.log(
      `  终端 terminal ${terminal.id}, activation code ${terminal.activation_code} (fresh); operator ${operator.operator_no} / ${operator.password}`,
    );
    console.log(`  Another code later: refundkey terminals reissue-code --terminal ${terminal.id}`);
  }
  console.log(`  Try (README "A sale and a refund from the command line" has the whole walk):`);
  console.log(`    curl -s -X POST ${base}/v1/terminals/activate -H 'content-type: application/json' \\`);
  console.log(`         -d '{"activation_code":"${terminal?.activation_code ?? ''}"}'`);
}
