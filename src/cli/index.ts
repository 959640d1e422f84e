#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

const USAGE = `refundkey — 退款授权 POS 后台 / POS back end with authorized refunds

Usage: refundkey <command> [options]

Commands:
  serve     run the HTTP server (terminal API, /docs, /healthz)
  migrate   bring the database schema to the latest version
  demo      create a fresh demo merchant and print its credentials
  admin     'admin create --login L': a platform admin (password from REFUNDKEY_ADMIN_PASSWORD or asked)
  support-agent 'support-agent create --login L': a support agent (password from REFUNDKEY_SUPPORT_PASSWORD or asked)
  bank      'bank create --name N [--merchant mch_…]': a partner bank and its API credential (shown once);
            'bank settle --bank bnk_… --merchant mch_…': the bank the merchant settles to
  outbox    'outbox stats' counts messages per status; 'outbox retry <msg_id>' queues a failed one again
  webhooks  'webhooks add|list|deliveries|disable': a merchant's webhook endpoints
  audit     'audit verify [--digest FILE]' checks the hash-chained audit log (exit 1 naming what is broken or
            missing); 'audit digest' prints its head {seq, hash, at} to keep outside the database
  db        'db roles [--apply]': least-privilege PostgreSQL roles (an owner, and a serving role that only appends audit)
  terminals 'terminals reissue-code --terminal trm_…': a fresh activation code for a terminal
  backup    'backup --to FILE': a consistent copy of the SQLite database, safe while serving
  restore   'restore --from FILE': put a backup in place of the SQLite database of a stopped server
  pos       'pos activate|login|sale|refund|authorize|resend|cancel|void|settle|status|today|resume': a terminal
            lane over HTTP (the SDK), state in ~/.refundkey-pos.json (mode 0600)

Run 'refundkey <command> --help' for the options of a command; 'refundkey --version' for the version.
Environment: DATABASE_URL, HOST, PORT, NODE_ENV, REFUNDKEY_SECRET, LOG_LEVEL (see README).`;

type Command = (argv: string[]) => Promise<number>;

/**
 * Each command is loaded when it is run: `refundkey pos …` (a terminal lane, run once per operation by scripts) then
 * starts without loading the server, the database drivers and Argon2 it never uses.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).runServe,
  migrate: async () => (await import('./migrate.js')).runMigrate,
  demo: async () => (await import('./demo.js')).runDemo,
  admin: async () => (await import('./admin.js')).runAdmin,
  'support-agent': async () => (await import('./support-agent.js')).runSupportAgent,
  bank: async () => (await import('./bank.js')).runBank,
  outbox: async () => (await import('./outbox.js')).runOutbox,
  webhooks: async () => (await import('./webhooks.js')).runWebhooks,
  audit: async () => (await import('./audit.js')).runAudit,
  backup: async () => (await import('./backup.js')).runBackup,
  terminals: async () => (await import('./terminals.js')).runTerminals,
  restore: async () => (await import('./backup.js')).runRestore,
  db: async () => (await import('./db-roles.js')).runDb,
  pos: async () => (await import('./pos.js')).runPos,
};

/** Dispatch `refundkey <command>`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    console.log(`refundkey ${version()}`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    console.error(`unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  try {
    const run = await load();
    return await run(rest);
  } catch (error) {
    // A problem the user can fix gets its lines, not a stack trace.
    if (error instanceof ConfigError) {
      console.error(`refundkey ${command}: 配置有误 / cannot start:`);
      for (const problem of error.problems) console.error(`  ${problem}`);
      return 2;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`refundkey ${command}: ${(error as Error).message}; see 'refundkey ${command} --help'`);
      return 2;
    }
    throw error;
  }
}

/** The version in package.json (one level above src/ and dist/ alike). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
