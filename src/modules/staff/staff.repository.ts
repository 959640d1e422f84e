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
