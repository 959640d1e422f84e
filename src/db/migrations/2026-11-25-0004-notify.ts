import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
  // claimed_by: the claim that owns a "sending" row, so a worker whose lease ran out cannot overwrite the next claim.
  await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
  // max_attempts: webhooks stop after a number of attempts; null means only give_up_at applies.
  await db.schema.alterTable('outbox').addColumn('max_attempts', 'integer').execute();
  await db.schema.alterTable('outbox').addColumn('sent_at', 'bigint').execute();
  await db.schema.alterTable('outbox').addColumn('delivered_at', 'bigint').execute();

  // One row per SMS part the SMSC accepted; a delivery receipt may arrive before the sender has recorded the part.
  await db.schema
    .createTable('outbox_provider_refs')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('outbox_id', 'text')
    .addColumn('state', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_provider_refs_outbox').on('outbox_provider_refs').column('outbox_id').execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_endpoints_merchant').on('webhook_endpoints').column('merchant_id').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint_at')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
  await db.schema.dropTable('outbox_provider_refs').execute();
  for (const column of ['delivered_at', 'sent_at', 'max_attempts', 'claimed_by']) {
    await db.schema.alterTable('outbox').dropColumn(column).execute();
  }
}
