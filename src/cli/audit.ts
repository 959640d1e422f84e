import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { systemClock } from '../lib/clock.js';
import { Hmac } from '../lib/hashing.js';
import { AuditService, type VerifyResult } from '../modules/audit/audit.service.js';
import { loadServerKey } from '../settings.js';
import { parseFlags } from './index.js';

const HELP = `refundkey audit verify — walk the hash-chained audit log from the first entry

Exits 0 when every entry links to the previous one and carries its HMAC; 1 naming the first broken entry.

Options:
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  -h, --help
Environment: REFUNDKEY_SECRET must be the server's key when the server runs with one.`;

/** Verify the audit chain of a database with its server key. */
export async function verifyAuditChain(databaseUrl: string, secret: string | undefined): Promise<VerifyResult> {
  const database = openDatabase(databaseUrl, { poolSize: 1 });
  try {
    const key = await loadServerKey(database.db, secret);
    return await new AuditService(database.db, systemClock, new Hmac(key)).verify();
  } finally {
    await database.close();
  }
}

/** `refundkey audit <subcommand>`; returns the exit code. */
export async function runAudit(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') {
    if (sub === '--help' || sub === '-h') {
      console.log(HELP);
      return 0;
    }
    console.error(`usage: refundkey audit verify [--database-url <url>]\n\n${HELP}`);
    return 2;
  }
  const flags = parseFlags(rest, { 'database-url': { type: 'string' } }, HELP);
  if (!flags) return 0;
  const config = loadConfig(process.env, { databaseUrl: flags['database-url'] as string | undefined });
  const result = await verifyAuditChain(config.databaseUrl, config.secret);
  if (result.ok) {
    console.log(`审计日志完整 / audit log intact: ${result.checked} entries verified`);
    return 0;
  }
  console.error(
    `审计日志被篡改 / audit log broken at seq ${result.brokenSeq}: ${result.reason} (${result.checked} entries verified before it)`,
  );
  return 1;
}
