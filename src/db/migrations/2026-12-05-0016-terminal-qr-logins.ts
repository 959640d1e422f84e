import type { Kysely } from 'kysely';

/**
 * A QR login may be shown by a terminal (issue 12 item 4): it then belongs to the terminal's merchant, and only that
 * merchant's people may approve it. Browser-started requests keep both columns null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('qr_logins').addColumn('terminal_id', 'text').execute();
  await db.schema.alterTable('qr_logins').addColumn('merchant_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('qr_logins').dropColumn('merchant_id').execute();
  await db.schema.alterTable('qr_logins').dropColumn('terminal_id').execute();
}
