import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { argon2Pool, type HashedSecret, storedHash, verifySecret } from '../../lib/hashing.js';
import { newId } from '../../lib/random.js';
import * as repo from './staff.repository.js';
import { type OperatorRow, type StaffRole, StoreIdsColumn, type UserRow, type UserStatus } from './staff.table.js';

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
  status: UserStatus;
}

/** What an operator may do at a terminal (Square-like toggles), checked on the terminal routes. */
export interface OperatorPermissions {
  mayRefund: boolean;
  mayVoid: boolean;
  maySettle: boolean;
  /** The largest amount (fen) one refund or void may return; null = no cap of its own. */
  refundCap: number | null;
}

export interface Operator {
  id: string;
  merchantId: string;
  storeId: string;
  operatorNo: string;
  name: string;
  /** The staff member behind this operator number. */
  staffId: string | null;
  status: 'active' | 'disabled';
  permissions: OperatorPermissions;
}

export const ALL_OPERATOR_PERMISSIONS: OperatorPermissions = {
  mayRefund: true,
  mayVoid: true,
  maySettle: true,
  refundCap: null,
};

/** Stands in for the password of a user who has not accepted an invitation: no Argon2id hash, so nothing matches. */
const NO_PASSWORD_YET = '!invited';

/** Back-office staff (owner, manager, cashier, platform admin) and terminal operators (操作员 01-99). */
export class StaffService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /**
   * Create a back-office user. With a password: active, Argon2id-hashed. Without: invited, until the person sets their
   * own password by accepting an invitation (nobody sets another person's password).
   */
  async createUser(
    input: {
      merchantId: string | null;
      role: StaffRole;
      login: string;
      /** Hashed before the caller's transaction when there is one (HashedSecret). */
      password?: string | HashedSecret;
      name: string;
      phone?: string | null;
      email?: string | null;
      locale?: string;
      storeIds?: string[] | null;
    },
    executor: Executor = this.db,
  ): Promise<StaffUser> {
    const row: UserRow = {
      id: newId('usr'),
      merchant_id: input.merchantId,
      role: input.role,
      login: input.login,
      password_hash: input.password === undefined ? NO_PASSWORD_YET : await storedHash(input.password),
      name: input.name,
      phone: input.phone ?? null,
      email: input.email ?? null,
      locale: input.locale ?? 'zh-CN',
      store_ids: input.storeIds ? StoreIdsColumn.write(input.storeIds) : null,
      status: input.password === undefined ? 'invited' : 'active',
      created_at: this.clock.now(),
    };
    await repo.insertUser(executor, row);
    return toUser(row);
  }

  async getUser(id: string, executor: Executor = this.db): Promise<StaffUser | undefined> {
    const row = await repo.findUser(executor, id);
    return row && toUser(row);
  }

  async findByLogin(login: string, executor: Executor = this.db): Promise<StaffUser | undefined> {
    const row = await repo.findUserByLogin(executor, login);
    return row && toUser(row);
  }

  /** Move a user between states (disable, enable); only from the states given. True when it changed. */
  setStatus(executor: Executor, userId: string, status: UserStatus, from: UserStatus[]): Promise<boolean> {
    return repo.setUserStatus(executor, userId, status, from);
  }

  /** Enable a disabled user: active again, or invited when the person never chose a password. */
  enable(executor: Executor, userId: string): Promise<boolean> {
    return repo.enableUser(executor, userId, NO_PASSWORD_YET);
  }

  /** The invited user's own first password; false when the user is no longer invited (another accept won). */
  async activateWithPassword(executor: Executor, userId: string, passwordHash: string): Promise<boolean> {
    return repo.activateWithPassword(executor, userId, passwordHash);
  }

  /** A person's own new password, already Argon2id-hashed (change or reset; the caller checks the rules). */
  setPasswordHash(executor: Executor, userId: string, passwordHash: string): Promise<void> {
    return repo.setPasswordHash(executor, userId, passwordHash);
  }

  /** A person's own phone, e-mail or language (the caller re-authenticates and notifies). */
  setProfile(
    executor: Executor,
    userId: string,
    profile: { phone?: string | null; email?: string | null; locale?: string },
  ): Promise<void> {
    return repo.setProfile(executor, userId, profile);
  }

  /** The staff member behind an operator number (maker-checker compares people, not numbers). */
  async staffMemberOfOperator(operatorId: string, executor: Executor = this.db): Promise<string | null> {
    return (await repo.findOperatorById(executor, operatorId))?.staff_id ?? null;
  }

  async getOperator(id: string, executor: Executor = this.db): Promise<Operator | undefined> {
    const row = await repo.findOperatorById(executor, id);
    return row && toOperator(row);
  }

  async operatorsOfStaff(staffId: string, executor: Executor = this.db): Promise<Operator[]> {
    return (await repo.operatorsOfStaff(executor, staffId)).map(toOperator);
  }

  /** Every operator number of a merchant, store by store, by number (callers filter by store scope). */
  async operatorsOfMerchant(merchantId: string, executor: Executor = this.db): Promise<Operator[]> {
    return (await repo.operatorsOfMerchant(executor, merchantId)).map(toOperator);
  }

  /** Disable or enable every operator number of a staff member, with the person. */
  setOperatorsStatusOfStaff(executor: Executor, staffId: string, status: 'active' | 'disabled'): Promise<number> {
    return repo.setOperatorsStatusOfStaff(executor, staffId, status);
  }

  async setOperatorPermissions(executor: Executor, operatorId: string, p: OperatorPermissions): Promise<void> {
    await repo.updateOperatorPermissions(executor, operatorId, {
      may_refund: p.mayRefund ? 1 : 0,
      may_void: p.mayVoid ? 1 : 0,
      may_settle: p.maySettle ? 1 : 0,
      refund_cap: p.refundCap,
    });
  }

  /** The back-office users of a merchant, oldest first (e.g. the owner and managers who receive refund codes). */
  async usersOfMerchant(merchantId: string, executor: Executor = this.db): Promise<StaffUser[]> {
    return (await repo.usersOfMerchant(executor, merchantId)).map(toUser);
  }

  /** Check a login id and password; undefined when either is wrong, in about the same time. */
  async verifyLogin(login: string, password: string): Promise<StaffUser | undefined> {
    const row = await repo.findUserByLogin(this.db, login);
    // An invited or disabled user is refused like a wrong password, in the same time.
    const usable = row?.status === 'active' ? row : undefined;
    const ok = await verifySecret(usable?.password_hash ?? (await getDummyHash()), password);
    return usable && ok ? toUser(usable) : undefined;
  }

  /** The Argon2id hash of a user's login password, for rules such as "refund key ≠ login password". */
  async passwordHashOf(userId: string): Promise<string | undefined> {
    return (await repo.findUser(this.db, userId))?.password_hash;
  }

  /** Create an operator of a store, belonging to one staff member, with its own password. */
  async createOperator(
    input: {
      merchantId: string;
      storeId: string;
      operatorNo: string;
      name: string;
      /** Hashed before the caller's transaction when there is one (HashedSecret). */
      password: string | HashedSecret;
      staffId: string;
      permissions?: OperatorPermissions;
    },
    executor: Executor = this.db,
  ): Promise<Operator> {
    const p = input.permissions ?? ALL_OPERATOR_PERMISSIONS;
    const row: OperatorRow = {
      id: newId('opr'),
      merchant_id: input.merchantId,
      store_id: input.storeId,
      operator_no: input.operatorNo,
      name: input.name,
      password_hash: await storedHash(input.password),
      status: 'active',
      staff_id: input.staffId,
      may_refund: p.mayRefund ? 1 : 0,
      may_void: p.mayVoid ? 1 : 0,
      may_settle: p.maySettle ? 1 : 0,
      refund_cap: p.refundCap,
      created_at: this.clock.now(),
    };
    await repo.insertOperator(executor, row);
    return toOperator(row);
  }

  /** Check an operator's number and password in a store; undefined when wrong or disabled. */
  async verifyOperator(storeId: string, operatorNo: string, password: string): Promise<Operator | undefined> {
    const row = await repo.findOperator(this.db, storeId, operatorNo);
    const ok = await verifySecret(row?.password_hash ?? (await getDummyHash()), password);
    return row && ok && row.status === 'active' ? toOperator(row) : undefined;
  }
}

/** Verified against when a login id or operator does not exist, so that timing does not reveal which. */
function getDummyHash(): Promise<string> {
  return argon2Pool.equaliser();
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
    storeIds: row.store_ids ? StoreIdsColumn.read(row.store_ids) : null,
    status: row.status,
  };
}

/** An operator's permissions from its row's columns (also read with the operator session, terminals.repository). */
export function operatorPermissionsOf(
  row: Pick<OperatorRow, 'may_refund' | 'may_void' | 'may_settle' | 'refund_cap'>,
): OperatorPermissions {
  return {
    mayRefund: Number(row.may_refund) === 1,
    mayVoid: Number(row.may_void) === 1,
    maySettle: Number(row.may_settle) === 1,
    refundCap: row.refund_cap === null ? null : Number(row.refund_cap),
  };
}

function toOperator(row: OperatorRow): Operator {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    storeId: row.store_id,
    operatorNo: row.operator_no,
    name: row.name,
    staffId: row.staff_id,
    status: row.status,
    permissions: operatorPermissionsOf(row),
  };
}
