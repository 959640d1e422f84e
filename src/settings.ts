import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from './db/schema.js';

/**
 * The server key for HMACs (and the audit chain). Production passes REFUNDKEY_SECRET (config.ts refuses to start
 * without it); elsewhere one is generated once and kept in the database, so that every instance on the same database
 * agrees without configuration. docs/security.md "Audit log": a key kept in the database lets whoever can write the
 * audit table re-chain it, so a configured key must never be one the database also holds.
 */
export async function loadServerKey(db: Kysely<DB>, configured: string | undefined): Promise<Buffer> {
  if (configured) {
    if ((await storedServerKey(db)) === configured) {
      throw new Error(
        'REFUNDKEY_SECRET is the development key stored in the database (settings.server_key); choose a new one',
      );
    }
    return Buffer.from(configured, 'utf8');
  }
  const fresh = randomBytes(32).toString('hex');
  await db
    .insertInto('settings')
    .values({ name: 'server_key', value: fresh })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = await storedServerKey(db);
  if (stored === undefined) throw new Error('settings.server_key could not be stored');
  return Buffer.from(stored, 'hex');
}

/** The key generated for development, if any, without creating one (for read-only tools such as `audit verify`). */
export async function storedServerKey(db: Kysely<DB>): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('name', '=', 'server_key').executeTakeFirst();
  return row?.value;
}
