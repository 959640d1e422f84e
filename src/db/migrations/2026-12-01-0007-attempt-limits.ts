import { type Kysely, sql } from 'kysely';

/**
 * Also: the merchant's choice to allow refunds of one store's sales at another store's terminals.
 *
 * One attempt counter for every secret check (docs/security.md "Attempt limits"), replacing the refund lock rows, the
 * failure events of the merchant window, the login counters and the per-refund code failure column. Current locks and
 * counts are carried over.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attempt_limits')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text')
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await sql`
    insert into attempt_limits (scope, merchant_id, count, pending, window_start, locked_until, updated_at)
    select 'refund_key:' || substr(scope, 10), merchant_id, consecutive_failures, 0, updated_at, locked_until, updated_at
    from refund_lockouts where scope like 'terminal:%'`.execute(db);
  await sql`
    insert into attempt_limits (scope, merchant_id, count, pending, window_start, locked_until, updated_at)
    select 'refund_auth:' || substr(scope, 10), merchant_id, 0, 0, updated_at, locked_until, updated_at
    from refund_lockouts where scope like 'merchant:%'`.execute(db);
  await sql`
    insert into attempt_limits (scope, merchant_id, count, pending, window_start, locked_until, updated_at)
    select 'login:' || subject, null, failures, 0, window_start, coalesce(locked_until, 0), window_start
    from attempt_counters`.execute(db);
  await sql`
    insert into attempt_limits (scope, merchant_id, count, pending, window_start, locked_until, updated_at)
    select 'refund_code:' || id, merchant_id, code_failures, 0, updated_at,
      case when code_failures >= 5 then 9000000000000 else 0 end, updated_at
    from refunds where code_failures > 0`.execute(db);

  await db.schema.dropTable('refund_lockouts').execute();
  await db.schema.dropTable('refund_auth_failures').execute();
  await db.schema.dropTable('attempt_counters').execute();
  await db.schema.alterTable('refunds').dropColumn('code_failures').execute();

  // docs/security.md "Cross-store refunds": refused unless the merchant allows them (0/1).
  await db.schema
    .alterTable('merchants')
    .addColumn('cross_store_refunds', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('merchants').dropColumn('cross_store_refunds').execute();
  await db.schema
    .alterTable('refunds')
    .addColumn('code_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('attempt_counters')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
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
  await db.schema.dropTable('attempt_limits').execute();
}
