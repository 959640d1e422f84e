import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '../config.js';
import { createRefundkey } from '../main.js';
import type { DemoMerchant } from '../modules/demo/demo.service.js';
import { parseFlags } from './index.js';

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
    port: flags.port === undefined ? undefined : Number(flags.port),
    databaseUrl: flags['database-url'] as string | undefined,
  });
  const app = await createRefundkey(config);
  const demo = flags.demo
    ? await firstStartDemo(app.services.demo.createDemoMerchant.bind(app.services.demo), config.databaseUrl)
    : undefined;
  await app.server.listen({ host: config.host, port: config.port });
  app.workers.start();
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  console.log(`\nrefundkey 已启动 / is running on ${base}  (database: ${app.services.database.dialect})`);
  console.log(`  API 文档 / API docs:  ${base}/docs   OpenAPI: ${base}/openapi.json   health: ${base}/healthz`);
  if (demo) printDemo(demo);

  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return new Promise<number>(() => {});
}

/** Demo data is created once per database; its credentials are kept in data/ (development only) to show again. */
async function firstStartDemo(create: () => Promise<DemoMerchant>, databaseUrl: string): Promise<DemoMerchant> {
  const saved = existsSync(DEMO_FILE)
    ? (JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as { databaseUrl: string; demo: DemoMerchant })
    : undefined;
  if (saved?.databaseUrl === databaseUrl) return saved.demo;
  const demo = await create();
  mkdirSync(dirname(DEMO_FILE), { recursive: true });
  writeFileSync(DEMO_FILE, JSON.stringify({ databaseUrl, demo }, null, 2), { mode: 0o600 });
  return demo;
}

function printDemo(demo: DemoMerchant): void {
  const store = demo.stores[0];
  const terminal = store?.terminals[0];
  const operator = store?.operators[0];
  console.log('\n演示数据 / Demo data (also in data/demo-credentials.json):');
  console.log(`  店主 owner:   ${demo.owner.login} / ${demo.owner.password}`);
  console.log(`  主管 manager: ${demo.manager.login} / ${demo.manager.password}`);
  console.log(`  退款密钥 refund key: ${demo.refund_key}`);
  if (store && terminal && operator) {
    console.log(
      `  终端 terminal ${terminal.id}, activation code ${terminal.activation_code}; operator ${operator.operator_no} / ${operator.password}`,
    );
  }
  console.log('  Try: curl -s -X POST localhost:8080/v1/terminals/activate -H "content-type: application/json" \\');
  console.log(`         -d '{"activation_code":"${terminal?.activation_code ?? ''}"}'`);
}
