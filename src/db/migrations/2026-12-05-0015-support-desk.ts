import type { Kysely } from 'kysely';

/**
 * The support desk (issue 15 item 2): cases opened by a support agent for a merchant's owner, the identity checks
 * performed (only a document type and the last 4 characters, never a full number), and a second agent's approval.
 * The reset link sent to the owner after approval is kept only as an HMAC.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // status: open | checks_recorded | approved; "expired" is read from expires_at.
  await db.schema
    .createTable('support_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('approved_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('approved_at', 'bigint')
    .addColumn('reset_token_hash', 'text')
    .addColumn('reset_expires_at', 'bigint')
    .addColumn('reset_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('support_cases_merchant').on('support_cases').column('merchant_id').execute();

  // kind: id_document (document_type + last4) | business_licence (last4) | callback (outcome)
  await db.schema
    .createTable('support_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('support_cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('document_type', 'text')
    .addColumn('last4', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('support_checks_case').on('support_checks').column('case_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('support_checks').execute();
  await db.schema.dropTable('support_cases').execute();
}
