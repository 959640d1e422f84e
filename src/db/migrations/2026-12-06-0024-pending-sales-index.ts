import { type Kysely, sql } from 'kysely';

/**
 * Sales by status are only ever looked up while pending (reconciliation of unknown acquirer outcomes), and almost every
 * sale is booked with its outcome. An index over every sale's status cost each sale one more index page written at
 * commit; a partial index over the pending ones costs a booked sale nothing (issue 9, the sale's SQL floor).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sales_status').execute();
  await db.schema
    .createIndex('sales_pending')
    .on('sales')
    .column('created_at')
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sales_pending').execute();
  await db.schema.createIndex('sales_status').on('sales').column('status').execute();
}
