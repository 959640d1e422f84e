import type { Kysely } from 'kysely';

/**
 * Webhooks may arrive out of order (retries, several deliverers): every event carries `sequence`, counted per object
 * (issue 10, 18). One row per object that has had an event; the emitting transaction increments it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_sequences')
    .addColumn('object_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_sequences').execute();
}
