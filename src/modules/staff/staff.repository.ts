import { sql } from 'kysely';
import type { Executor } from '../../db/schema.js';
import type { OperatorRow, UserRow } from './staff.table.js';

export async function insertUser(db: Executor, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export function findUserByLogin(db: Executor, login: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
}

export function findUser(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function usersOfMerchant(db: Executor, merchantId: string): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertOperator(db: Executor, row: OperatorRow): Promise<void> {
  await db.insertInto('operators').values(row).execute();
}

export function findOperator(db: Executor, storeId: string, operatorNo: string): Promise<OperatorRow | undefined> {
  return db
    .selectFrom('operators')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('operator_no', '=', operatorNo)
    .executeTakeFirst();
}

export function findOperatorById(db: Executor, id: string): Promise<OperatorRow | undefined> {
  return db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The operator numbers of a merchant, store by store, by number. */
export function operatorsOfMerchant(db: Executor, merchantId: string): Promise<OperatorRow[]> {
  return db
    .selectFrom('operators')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('store_id')
    .orderBy('operator_no')
    .execute();
}

export function operatorsOfStaff(db: Executor, staffId: string): Promise<OperatorRow[]> {
  return db.selectFrom('operators').selectAll().where('staff_id', '=', staffId).orderBy('created_at').execute();
}

/** Set a user's status; with `from`, only when the user is in one of those states. True when it changed. */
export async function setUserStatus(
  db: Executor,
  id: string,
  status: UserRow['status'],
  from: UserRow['status'][],
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ status })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The first password of an invited user: only while the user is still invited (one of parallel accepts wins). */
export async function activateWithPassword(db: Executor, id: string, passwordHash: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ password_hash: passwordHash, status: 'active' })
    .where('id', '=', id)
    .where('status', '=', 'invited')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setOperatorsStatusOfStaff(
  db: Executor,
  staffId: string,
  status: OperatorRow['status'],
): Promise<number> {
  const result = await db.updateTable('operators').set({ status }).where('staff_id', '=', staffId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function updateOperatorPermissions(
  db: Executor,
  id: string,
  set: Pick<OperatorRow, 'may_refund' | 'may_void' | 'may_settle' | 'refund_cap'>,
): Promise<void> {
  await db.updateTable('operators').set(set).where('id', '=', id).execute();
}

/** Enable a disabled user: active again, or invited when the person never chose a password. True when it changed. */
export async function enableUser(db: Executor, id: string, noPassword: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ status: sql<UserRow['status']>`case when password_hash = ${noPassword} then 'invited' else 'active' end` })
    .where('id', '=', id)
    .where('status', '=', 'disabled')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A person's own new password (change or reset). */
export async function setPasswordHash(db: Executor, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

/** A person's own phone, e-mail or language. */
export async function setProfile(
  db: Executor,
  id: string,
  profile: { phone?: string | null; email?: string | null; locale?: string },
): Promise<void> {
  await db.updateTable('users').set(profile).where('id', '=', id).execute();
}
