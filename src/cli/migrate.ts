import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { parseFlags } from './flags.js';

const HELP = `refundkey migrate — bring the schema to the latest migration

Options:
  --database-url <url>   sqlite:<path> or postgres://... (env DATABASE_URL)
  -h, --help`;

export async function runMigrate(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { 'database-url': { type: 'string' } }, HELP);
  if (!flags) return 0;
  const config = loadConfig(process.env, { databaseUrl: flags['database-url'] as string | undefined });
  const database = openDatabase(config.databaseUrl);
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    return 0;
  } finally {
    await database.close();
  }
}
