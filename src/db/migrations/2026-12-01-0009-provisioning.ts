import { type Kysely, sql } from 'kysely';

/**
 * Provisioning (issue 12): invited staff, operators that belong to a staff member and carry their own permissions,
 * invitations, rate plans by name. The links of the old `operator_links` table become `operators.staff_id`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // invited: has not chosen a password yet (its hash is a placeholder nothing verifies against); disabled: refused.
  await db.schema
    .alterTable('users')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .execute();

  // Every operator number belongs to one staff member (PRODUCT.md), so maker-checker compares people.
  await db.schema.alterTable('operators').addColumn('staff_id', 'text').execute();
  await db.schema
    .alterTable('operators')
    .addColumn('may_refund', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('operators')
    .addColumn('may_void', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('operators')
    .addColumn('may_settle', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // The largest amount (fen) one refund or void of this operator may return; null = no cap of its own.
  await db.schema.alterTable('operators').addColumn('refund_cap', 'bigint').execute();
  await sql`update operators set staff_id =
    (select user_id from operator_links where operator_links.operator_id = operators.id)`.execute(db);
  await db.schema.dropTable('operator_links').execute();
  await db.schema.createIndex('operators_staff').on('operators').column('staff_id').execute();

  await db.schema
    .alterTable('merchants')
    .addColumn('rate_plan_id', 'text', (c) => c.notNull().defaultTo('standard'))
    .execute();

  // The token itself is only in the message; the row keeps its HMAC (docs/security.md "Secrets at rest").
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('merchant_id', 'text')
    .addColumn('invited_by', 'text')
    .addColumn('sent_to', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invitations_user').on('invitations').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('invitations').execute();
  await db.schema.alterTable('merchants').dropColumn('rate_plan_id').execute();
  await db.schema
    .createTable('operator_links')
    .addColumn('operator_id', 'text', (c) => c.primaryKey().references('operators.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into operator_links (operator_id, user_id, created_at)
    select id, staff_id, created_at from operators where staff_id is not null`.execute(db);
  await db.schema.dropIndex('operators_staff').execute();
  for (const column of ['refund_cap', 'may_settle', 'may_void', 'may_refund', 'staff_id']) {
    await db.schema.alterTable('operators').dropColumn(column).execute();
  }
  await db.schema.alterTable('users').dropColumn('status').execute();
}
