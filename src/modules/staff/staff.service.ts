import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { hashSecret, verifySecret } from '../../lib/hashing.js';
import { newId } from '../../lib/random.js';
import * as repo from './staff.repository.js';
import type { OperatorRow, StaffRole, UserRow } from './staff.table.js';

export interface StaffUser {
  id: string;
  merchantId: string | null;
  role: StaffRole;
  login: string;
  name: string;
  phone: string | null;
  email: string | null;
  locale: string;
  storeIds: string[] | null;
}

export interface Operator {
  id: string;
  merchantId: string;
  storeId: string;
  operatorNo: string;
  name: string;
}

// Verified against when a login id or operator does not exist, so that timing does not reveal which.
let dummyHash: Promise<string> | undefined;

/** Back-office staff (owner, manager, cashier, platform admin) and terminal operators (操作员 01-99). */
export class StaffService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /** Create a back-office user with an Argon2id password hash. */
  async createUser(input: {
    merchantId: string | null;
    role: StaffRole;
    login: string;
    password: string;
    name: string;
    phone?: string;
    email?: string;
    locale?: string;
    storeIds?: string[];
  }): Promise<StaffUser> {
    const row: UserRow = {
      id: newId('usr'),
      merchant_id: input.merchantId,
      role: input.role,
      login: input.login,
      password_hash: await hashSecret(input.password),
      name: input.name,
      phone: input.phone ?? null,
      email: input.email ?? null,
      locale: input.locale ?? 'zh-CN',
      store_ids: input.storeIds ? JSON.stringify(input.storeIds) : null,
      created_at: this.clock.now(),
    };
    await repo.insertUser(this.db, row);
    return toUser(row);
  }

  async getUser(id: string): Promise<StaffUser | undefined> {
    const row = await repo.findUser(this.db, id);
    return row && toUser(row);
  }

  /** The back-office users of a merchant, oldest first (e.g. the owner and managers who receive refund codes). */
  async usersOfMerchant(merchantId: string, executor: Executor = this.db): Promise<StaffUser[]> {
    return (await repo.usersOfMerchant(executor, merchantId)).map(toUser);
  }

  /** Check a login id and password; undefined when either is wrong, in about the same time. */
  async verifyLogin(login: string, password: string): Promise<StaffUser | undefined> {
    const row = await repo.findUserByLogin(this.db, login);
    const ok = await verifySecret(row?.password_hash ?? (await getDummyHash()), password);
    return row && ok ? toUser(row) : undefined;
  }

  /** The Argon2id hash of a user's login password, for rules such as "refund key ≠ login password". */
  async passwordHashOf(userId: string): Promise<string | undefined> {
    return (await repo.findUser(this.db, userId))?.password_hash;
  }

  /** Create an operator of a store with its own password. */
  async createOperator(input: {
    merchantId: string;
    storeId: string;
    operatorNo: string;
    name: string;
    password: string;
  }): Promise<Operator> {
    const row: OperatorRow = {
      id: newId('opr'),
      merchant_id: input.merchantId,
      store_id: input.storeId,
      operator_no: input.operatorNo,
      name: input.name,
      password_hash: await hashSecret(input.password),
      status: 'active',
      created_at: this.clock.now(),
    };
    await repo.insertOperator(this.db, row);
    return toOperator(row);
  }

  /** Check an operator's number and password in a store; undefined when wrong or disabled. */
  async verifyOperator(storeId: string, operatorNo: string, password: string): Promise<Operator | undefined> {
    const row = await repo.findOperator(this.db, storeId, operatorNo);
    const ok = await verifySecret(row?.password_hash ?? (await getDummyHash()), password);
    return row && ok && row.status === 'active' ? toOperator(row) : undefined;
  }
}

function getDummyHash(): Promise<string> {
  dummyHash ??= hashSecret('refundkey-timing-equaliser');
  return dummyHash;
}

function toUser(row: UserRow): StaffUser {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    role: row.role,
    login: row.login,
    name: row.name,
    phone: row.phone,
    email: row.email,
    locale: row.locale,
    storeIds: row.store_ids ? (JSON.parse(row.store_ids) as string[]) : null,
  };
}

function toOperator(row: OperatorRow): Operator {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    storeId: row.store_id,
    operatorNo: row.operator_no,
    name: row.name,
  };
}
