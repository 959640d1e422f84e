import type { Kysely } from 'kysely';

// Refund authorization: one-time codes, lock counters, failure events, store policies, daily usage, approvals.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Counted per refund and never reset by a resend (docs/security.md "Attempt limits").
  await db.schema
    .alterTable('refunds')
    .addColumn('code_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('refunds')
    .addColumn('codes_issued', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('refund_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('refund_id', 'text', (c) => c.notNull().references('refunds.id'))
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('sent_to', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('superseded_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('refund_codes_refund_seq', ['refund_id', 'seq'])
    .execute();

  await db.schema
    .createTable('refund_lockouts')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reset_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('refund_auth_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('refund_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('refund_auth_failures_merchant_at')
    .on('refund_auth_failures')
    .columns(['merchant_id', 'at'])
    .execute();

  await db.schema
    .createTable('refund_policies')
    .addColumn('store_id', 'text', (c) => c.primaryKey().references('stores.id'))
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('refund_daily_usage')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('refund_daily_usage_pk', ['scope', 'day'])
    .execute();

  await db.schema
    .createTable('refund_approvals')
    .addColumn('refund_id', 'text', (c) => c.primaryKey().references('refunds.id'))
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('sale_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by_operator_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_reason', 'text')
    .execute();
  await db.schema
    .createIndex('refund_approvals_pending')
    .on('refund_approvals')
    .columns(['merchant_id', 'status'])
    .execute();

  await db.schema
    .createTable('operator_links')
    .addColumn('operator_id', 'text', (c) => c.primaryKey().references('operators.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'operator_links',
    'refund_approvals',
    'refund_daily_usage',
    'refund_policies',
    'refund_auth_failures',
    'refund_lockouts',
    'refund_codes',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('refunds').dropColumn('codes_issued').execute();
  await db.schema.alterTable('refunds').dropColumn('code_failures').execute();
}
