import { type Kysely, sql } from 'kysely';

/**
 * Issue 15 items 2 and 3: the end of a support case (the owner's reset, a new phone after a waiting period) and partner
 * banks. A bank may open a case itself, so `support_cases.opened_by` may be null for a case a bank opened (`bank_id`
 * says which bank, and the branch's verification is kept beside it: document type and last 4 characters only).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (await isSqlite(db)) await rebuildSupportCasesForSqlite(db);
  else await sql`alter table support_cases alter column opened_by drop not null`.execute(db);
  for (const column of ['bank_id', 'bank_branch', 'bank_officer', 'bank_document_type', 'bank_last4']) {
    await db.schema.alterTable('support_cases').addColumn(column, 'text').execute();
  }

  // A new phone named at the reset of a lost-phone case: it replaces the old one only at effective_at, announced on the
  // old phone and e-mail first, and an agent can still cancel it.
  await db.schema
    .createTable('support_phone_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('support_cases.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('new_phone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('effective_at', 'bigint', (c) => c.notNull())
    .addColumn('applied_at', 'bigint')
    .addColumn('canceled_at', 'bigint')
    .execute();
  await db.schema.createIndex('support_phone_changes_due').on('support_phone_changes').column('effective_at').execute();

  await db.schema
    .createTable('banks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // The HMAC secret must be usable to verify a signature, so it is sealed (AES-256-GCM under the server key), not hashed.
  await db.schema
    .createTable('bank_credentials')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('bank_id', 'text', (c) => c.notNull().references('banks.id'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  // Every nonce a bank used within the timestamp window; the primary key refuses a replay, also in parallel.
  await db.schema
    .createTable('bank_nonces')
    .addColumn('bank_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bank_nonces_pk', ['bank_id', 'nonce'])
    .execute();
  await db.schema
    .createTable('merchant_settlement_banks')
    .addColumn('merchant_id', 'text', (c) => c.primaryKey().references('merchants.id'))
    .addColumn('bank_id', 'text', (c) => c.notNull().references('banks.id'))
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('merchant_settlement_banks').execute();
  await db.schema.dropTable('bank_nonces').execute();
  await db.schema.dropTable('bank_credentials').execute();
  await db.schema.dropTable('banks').execute();
  await db.schema.dropTable('support_phone_changes').execute();
  for (const column of ['bank_last4', 'bank_document_type', 'bank_officer', 'bank_branch', 'bank_id']) {
    await db.schema.alterTable('support_cases').dropColumn(column).execute();
  }
}

async function isSqlite(db: Kysely<unknown>): Promise<boolean> {
  // Asked as a PostgreSQL-only question: a failed statement would abort PostgreSQL's migration transaction, and on
  // SQLite (no transaction around its migrations) the failure costs nothing.
  try {
    await sql`select current_setting('server_version')`.execute(db);
    return false;
  } catch {
    return true;
  }
}

/** SQLite cannot drop a NOT NULL: the table is rebuilt (Kysely runs SQLite migrations outside a transaction). */
async function rebuildSupportCasesForSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  await db.schema
    .createTable('support_cases_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.references('users.id'))
    .addColumn('approved_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('approved_at', 'bigint')
    .addColumn('reset_token_hash', 'text')
    .addColumn('reset_expires_at', 'bigint')
    .addColumn('reset_used_at', 'bigint')
    .execute();
  await sql`insert into support_cases_next select id, merchant_id, owner_id, kind, status, opened_by, approved_by,
    created_at, expires_at, approved_at, reset_token_hash, reset_expires_at, reset_used_at from support_cases`.execute(
    db,
  );
  await db.schema.dropTable('support_cases').execute();
  await sql`alter table support_cases_next rename to support_cases`.execute(db);
  await db.schema.createIndex('support_cases_merchant').on('support_cases').column('merchant_id').execute();
  await sql`pragma foreign_keys = on`.execute(db);
}
