import type { Kysely } from 'kysely';

/**
 * Announcements (公告, issue 15 item 4): published by platform admins for all merchants, a merchant type or a region,
 * between a start and an end; each acknowledgement is kept per merchant and person. A merchant's type and region (its
 * audience) are kept beside it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('announcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('audience_kind', 'text', (c) => c.notNull())
    .addColumn('audience_value', 'text')
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('announcements_window').on('announcements').columns(['starts_at', 'ends_at']).execute();

  await db.schema
    .createTable('announcement_acks')
    .addColumn('announcement_id', 'text', (c) => c.notNull().references('announcements.id'))
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('announcement_acks_pk', ['announcement_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('merchant_audiences')
    .addColumn('merchant_id', 'text', (c) => c.primaryKey().references('merchants.id'))
    .addColumn('merchant_type', 'text')
    .addColumn('region', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('merchant_audiences').execute();
  await db.schema.dropTable('announcement_acks').execute();
  await db.schema.dropTable('announcements').execute();
}
