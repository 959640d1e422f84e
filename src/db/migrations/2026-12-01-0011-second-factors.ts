import type { Kysely } from 'kysely';

/**
 * Second factors and own-account recovery (issue 12 items 3 and 5): TOTP and SMS factors, backup codes, the TOTP steps
 * already accepted, one-time codes and tokens (second-factor SMS, password reset), and pending logins between the
 * password and the second factor. Codes and tokens are kept only as HMACs; a TOTP seed must be read back to check a
 * code, so it is sealed (AES-256-GCM under the server key), never plain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('second_factors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // totp | sms
    .addColumn('status', 'text', (c) => c.notNull()) // pending (enrolling) | active
    .addColumn('secret_sealed', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .execute();
  await db.schema.createIndex('second_factors_user').on('second_factors').columns(['user_id', 'kind']).execute();

  // One row per accepted TOTP step: the primary key makes "a code accepted once" atomic, also under parallel use.
  await db.schema
    .createTable('totp_used_steps')
    .addColumn('factor_id', 'text', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('totp_used_steps_pk', ['factor_id', 'step'])
    .execute();

  await db.schema
    .createTable('backup_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('backup_codes_user').on('backup_codes').columns(['user_id', 'code_hash']).execute();

  // purpose: login_sms (bound to a pending login), enrol_sms, reset_sms, reset_email.
  await db.schema
    .createTable('account_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('bound_to', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_codes_bound').on('account_codes').columns(['purpose', 'bound_to']).execute();
  await db.schema.createIndex('account_codes_hash').on('account_codes').column('code_hash').execute();

  await db.schema
    .createTable('pending_logins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['pending_logins', 'account_codes', 'backup_codes', 'totp_used_steps', 'second_factors']) {
    await db.schema.dropTable(table).execute();
  }
}
