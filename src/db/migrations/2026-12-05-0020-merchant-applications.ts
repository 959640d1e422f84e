import type { Kysely } from 'kysely';

/**
 * Merchant applications (在线申请, issue 15 item 5): a public application for a terminal, reviewed by a platform admin.
 * The settlement bank account is sealed (AES-GCM) with only its last 4 digits in clear; the applicant's status link
 * and the phone-verification codes and proofs are kept only as HMACs. `challenge_hash` makes a solved bot challenge
 * usable for one application only (unique).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // status: submitted | needs_info | approved | rejected
  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('business_name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.notNull())
    .addColumn('legal_rep', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('bank_name', 'text', (c) => c.notNull())
    .addColumn('bank_account_sealed', 'text', (c) => c.notNull())
    .addColumn('bank_account_last4', 'text', (c) => c.notNull())
    .addColumn('terminal_count', 'integer', (c) => c.notNull())
    .addColumn('rate_plan_id', 'text', (c) => c.notNull())
    .addColumn('status_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('challenge_hash', 'text', (c) => c.notNull().unique())
    .addColumn('origin_ip', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'bigint')
    .addColumn('merchant_id', 'text', (c) => c.references('merchants.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('applications_status').on('applications').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('application_phone_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('verified_at', 'bigint')
    .addColumn('proof_hash', 'text', (c) => c.unique())
    .addColumn('proof_expires_at', 'bigint')
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('application_phone_codes_phone')
    .on('application_phone_codes')
    .columns(['phone', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('application_phone_codes').execute();
  await db.schema.dropTable('applications').execute();
}
