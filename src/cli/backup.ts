import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config.js';
import { parseFlags } from './flags.js';

const BACKUP_HELP = `refundkey backup — copy the embedded SQLite database, safe while the server runs

Options:
  --to <file>            where to write the copy (must not exist yet)
  --database-url <url>   sqlite:<path> (env DATABASE_URL); for PostgreSQL use pg_dump (README "Backups")
  -h, --help`;

const RESTORE_HELP = `refundkey restore — put a backup in place of the SQLite database of a stopped server

Options:
  --from <file>          a file written by 'refundkey backup'
  --database-url <url>   sqlite:<path> to restore into (env DATABASE_URL); the database it replaces is kept beside it
  -h, --help
Then: 'refundkey audit verify' on the restored database, and start the server.`;

const PG_BACKUP_HINT =
  'DATABASE_URL: backup and restore are for the embedded SQLite database; back PostgreSQL up with its own tools: pg_dump -Fc "$DATABASE_URL" > refundkey.dump, restore with pg_restore --clean -d "$DATABASE_URL" refundkey.dump (README "Backups")';

/** The file of a `sqlite:` URL, or a ConfigError pointing PostgreSQL deployments to pg_dump. */
function sqliteFile(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) throw new ConfigError([PG_BACKUP_HINT]);
  const path = databaseUrl.slice('sqlite:'.length);
  if (path === ':memory:') throw new ConfigError(['DATABASE_URL: an in-memory database has nothing to back up']);
  return resolve(path);
}

/**
 * `refundkey backup --to FILE`: a consistent copy while the server keeps writing. VACUUM INTO copies from one read
 * transaction, which in WAL mode never blocks the server's writers; SQLite's page-by-page backup API would restart
 * each time the server commits, so under steady load it might never finish. The copy is written beside its final name
 * and renamed only after it passed integrity_check, so a FILE that exists is always a whole backup.
 */
export async function runBackup(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { to: { type: 'string' }, 'database-url': { type: 'string' } }, BACKUP_HELP);
  if (!flags) return 0;
  const config = loadConfig(process.env, { databaseUrl: flags['database-url'] as string | undefined });
  const file = sqliteFile(config.databaseUrl);
  const to = flags.to ? resolve(flags.to as string) : undefined;
  if (!to) throw new ConfigError(['--to: name the file to write, e.g. --to backups/refundkey-$(date +%F).db']);
  if (existsSync(to)) throw new ConfigError([`--to: ${to} exists already; backups never overwrite, choose a new name`]);
  if (!existsSync(dirname(to))) throw new ConfigError([`--to: the folder ${dirname(to)} does not exist`]);
  if (!existsSync(file)) throw new ConfigError([`DATABASE_URL: there is no database at ${file}`]);

  const partial = join(dirname(to), `.${basename(to)}.partial-${process.pid}`);
  const source = new SQLite(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
  try {
    source.prepare('vacuum into ?').run(partial);
  } finally {
    source.close();
  }
  try {
    const summary = checkDatabase(partial);
    renameSync(partial, to);
    console.log(
      `备份完成 / backup written: ${to} (${statSync(to).size} bytes, ${summary.sales} sales, ${summary.audit} audit entries)`,
    );
    return 0;
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * `refundkey restore --from FILE`: only into a database no process has open (the server must be stopped: an exclusive
 * lock proves it), after checking the backup; the replaced database is renamed, never deleted.
 */
export async function runRestore(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { from: { type: 'string' }, 'database-url': { type: 'string' } }, RESTORE_HELP);
  if (!flags) return 0;
  const config = loadConfig(process.env, { databaseUrl: flags['database-url'] as string | undefined });
  const file = sqliteFile(config.databaseUrl);
  const from = flags.from ? resolve(flags.from as string) : undefined;
  if (!from) throw new ConfigError(['--from: name the backup file to restore']);
  if (!existsSync(from)) throw new ConfigError([`--from: there is no file ${from}`]);
  if (!existsSync(dirname(file))) throw new ConfigError([`DATABASE_URL: the folder ${dirname(file)} does not exist`]);
  const summary = checkDatabase(from);

  const staging = join(dirname(file), `.${basename(file)}.restoring-${process.pid}`);
  const source = new SQLite(from, { readonly: true, fileMustExist: true });
  try {
    await source.backup(staging);
  } finally {
    source.close();
  }
  let kept: string | undefined;
  try {
    checkDatabase(staging);
    if (existsSync(file)) {
      assertNotInUse(file);
      kept = `${file}.replaced-${new Date().toISOString().replaceAll(/[:.]/g, '-')}`;
      renameSync(file, kept);
      // The replaced database's WAL and index belong to it; left in place they would be applied to the restored file.
      for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, kept + suffix);
    }
    renameSync(staging, file);
  } finally {
    rmSync(staging, { force: true });
  }
  console.log(`恢复完成 / restored ${from} into ${file} (${summary.sales} sales, ${summary.audit} audit entries)`);
  if (kept) console.log(`  the database it replaced is kept as ${kept}`);
  console.log(`  next: refundkey audit verify --database-url sqlite:${file}, then start the server`);
  return 0;
}

/** integrity_check and the tables of a refundkey database, or a ConfigError naming the file. */
function checkDatabase(path: string): { sales: number; audit: number } {
  const db = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new ConfigError([`${path}: the copy is damaged (integrity_check: ${String(integrity)})`]);
    const tables = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map(
        (t) => t.name,
      ),
    );
    if (!tables.has('sales') || !tables.has('audit_log') || !tables.has('kysely_migration')) {
      throw new ConfigError([`${path}: not a refundkey database (no sales, audit_log or migration tables)`]);
    }
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return { sales: count('sales'), audit: count('audit_log') };
  } finally {
    db.close();
  }
}

/** A server keeps its connection open; SQLite grants an exclusive lock only when no other connection has the file. */
function assertNotInUse(file: string): void {
  const probe = new SQLite(file, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('begin exclusive; commit');
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new ConfigError([
        `DATABASE_URL: ${file} is in use (a running server?); stop it first — restore never replaces a live database`,
      ]);
    }
    throw error;
  } finally {
    probe.close();
  }
}
