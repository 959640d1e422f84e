import { readFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { systemClock } from '../lib/clock.js';
import { Hmac } from '../lib/hashing.js';
import { AuditDigest } from '../modules/audit/audit.chain.js';
import { AuditService, type VerifyResult } from '../modules/audit/audit.service.js';
import { storedServerKey } from '../settings.js';
import { parseFlags } from './flags.js';

const HELP = `refundkey audit — check the hash-chained audit log (docs/security.md "Audit log")

  refundkey audit verify [--digest FILE]   walk the chain from the first entry to its head
  refundkey audit digest                   print the current head as JSON {seq, hash, at}

verify exits 0 when every entry links to the previous one, carries its HMAC and the chain ends at its stored head;
1 naming the first broken or missing entry. With --digest FILE (the output of an earlier 'audit digest', kept
outside the database) it also proves the log still holds that entry with that hash: a lost tail or a re-chained
log fails even when the head in the database was rewritten with it.
digest exits 1 when the head's entry is missing or altered.

Options:
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  --digest <file>        (verify) a digest printed by 'audit digest'
  -h, --help
Environment: REFUNDKEY_SECRET must be the server's key when the server runs with one.`;

const USAGE =
  'usage: refundkey audit verify [--digest FILE] [--database-url URL] | refundkey audit digest [--database-url URL]';

/** Open the database with the chain's key (the configured one, else the development key it holds) and run `use`. */
async function withAuditLog<T>(
  databaseUrl: string,
  secret: string | undefined,
  use: (audit: AuditService) => Promise<T>,
): Promise<T> {
  const database = openDatabase(databaseUrl, { poolSize: 1 });
  try {
    const key = secret ? Buffer.from(secret, 'utf8') : await developmentKey(database.db);
    return await use(new AuditService(database.db, systemClock, new Hmac(key)));
  } finally {
    await database.close();
  }
}

async function developmentKey(db: Parameters<typeof storedServerKey>[0]): Promise<Buffer> {
  const stored = await storedServerKey(db);
  if (stored === undefined) throw new Error('REFUNDKEY_SECRET: not set, and the database holds no generated key');
  return Buffer.from(stored, 'hex');
}

/** Verify the audit chain of a database with its server key, against its head and (if given) a digest. */
export function verifyAuditChain(
  databaseUrl: string,
  secret: string | undefined,
  digest?: AuditDigest,
): Promise<VerifyResult> {
  return withAuditLog(databaseUrl, secret, (audit) => audit.verify(digest));
}

/** Read a digest file; a one-line reason when it is unreadable or not a digest. */
function readDigest(file: string): { digest: AuditDigest } | { error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { error: `cannot read digest ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: `digest ${file} is not JSON` };
  }
  const parsed = AuditDigest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `digest ${file} is not {seq, hash, at}: ${issue?.path.join('.') || 'digest'} ${issue?.message}` };
  }
  return { digest: parsed.data };
}

async function runVerify(rest: string[]): Promise<number> {
  const flags = parseFlags(rest, { 'database-url': { type: 'string' }, digest: { type: 'string' } }, HELP);
  if (!flags) return 0;
  const config = loadConfig(process.env, { databaseUrl: flags['database-url'] });
  let digest: AuditDigest | undefined;
  if (flags.digest !== undefined) {
    const read = readDigest(flags.digest);
    if ('error' in read) {
      console.error(`审计摘要无效 / ${read.error}`);
      return 1;
    }
    digest = read.digest;
  }
  const result = await verifyAuditChain(config.databaseUrl, config.secret, digest);
  if (result.ok) {
    const against = digest ? `; holds the digest's entry ${digest.seq}` : '';
    console.log(
      `审计日志完整 / audit log intact: ${result.checked} entries verified up to its head (seq ${result.head.seq})${against}`,
    );
    return 0;
  }
  console.error(
    `审计日志被篡改 / audit log broken at seq ${result.brokenSeq}: ${result.reason} (${result.checked} entries verified before it)`,
  );
  return 1;
}

async function runDigest(rest: string[]): Promise<number> {
  const flags = parseFlags(rest, { 'database-url': { type: 'string' } }, HELP);
  if (!flags) return 0;
  const config = loadConfig(process.env, { databaseUrl: flags['database-url'] });
  const result = await withAuditLog(config.databaseUrl, config.secret, (audit) => audit.digest());
  if (!result.ok) {
    console.error(`审计日志被篡改 / audit log broken at seq ${result.brokenSeq}: ${result.reason}`);
    return 1;
  }
  console.log(JSON.stringify(result.digest));
  return 0;
}

/** `refundkey audit verify|digest`; returns the exit code. */
export async function runAudit(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return runVerify(rest);
  if (sub === 'digest') return runDigest(rest);
  if (sub === '--help' || sub === '-h') {
    console.log(HELP);
    return 0;
  }
  console.error(`${USAGE}\n\n${HELP}`);
  return 2;
}
