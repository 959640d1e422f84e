import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from './db/schema.js';

/**
 * The server key for HMACs. Production passes REFUNDKEY_SECRET; elsewhere one is generated once and kept in the
 * database, so that every instance on the same database agrees without configuration.
 */
export async function loadServerKey(db: Kysely<DB>, configured: string | undefined): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const fresh = randomBytes(32).toString('hex');
  await db
    .insertInto('settings')
    .values({ name: 'server_key', value: fresh })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', 'server_key')
    .executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'hex');
}
