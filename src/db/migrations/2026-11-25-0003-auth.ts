import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Back-office sessions, attempt counters (login lockout), refund key history with per-store overrides, and on
// PostgreSQL a trigger that makes the audit log append-only.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The session token and its CSRF token are stored only as HMACs (docs/security.md "Secrets at rest").
  await db.schema
    .createTable('staff_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('csrf_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('reauth_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_sessions_user').on('staff_sessions').column('user_id').execute();

  // One row per counted subject (an HMAC of the login id, or of a user for key changes), updated in one statement.
  await db.schema
    .createTable('attempt_counters')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .execute();

  // Every refund key ever set: the active one per scope has retired_at null; older rows are the history.
  await db.schema
    .createTable('refund_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('store_id', 'text', (c) => c.references('stores.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addColumn('reminded_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('refund_keys_scope')
    .on('refund_keys')
    .columns(['merchant_id', 'store_id', 'version'])
    .execute();
  // At most one active key per scope, even when two owners save at the same moment.
  await sql`create unique index refund_keys_one_active on refund_keys (merchant_id, coalesce(store_id, '')) where retired_at is null`.execute(
    db,
  );
  await db.schema.createIndex('refund_keys_active_age').on('refund_keys').columns(['retired_at', 'set_at']).execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
      end $$`.execute(db);
    await sql`create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger if exists audit_log_no_truncate on audit_log`.execute(db);
    await sql`drop trigger if exists audit_log_append_only on audit_log`.execute(db);
    await sql`drop function if exists audit_log_append_only()`.execute(db);
  }
  await db.schema.dropTable('refund_keys').execute();
  await db.schema.dropTable('attempt_counters').execute();
  await db.schema.dropTable('staff_sessions').execute();
}
