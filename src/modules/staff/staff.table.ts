import type { Selectable } from 'kysely';
import { z } from 'zod';
import { jsonColumn } from '../../lib/json-column.js';

/** `support_agent` (客服, issue 15): platform-level like admin, no merchant; never sees or sets a secret. */
export type StaffRole = 'owner' | 'manager' | 'cashier' | 'admin' | 'support_agent';

/**
 * Roles that must enrol a second factor before anything else works (SECURITY.md "MFA"; issue 12 item 3). The hook for
 * the second-factor work: it enforces this list where a session is resolved (http/staff-auth.ts); nothing does yet.
 */
export const SECOND_FACTOR_REQUIRED: readonly StaffRole[] = ['owner', 'manager', 'admin', 'support_agent'];

/** invited: has not chosen a password yet (the hash is a placeholder); disabled: may not sign in. */
export type UserStatus = 'invited' | 'active' | 'disabled';

export interface UsersTable {
  id: string;
  merchant_id: string | null;
  role: StaffRole;
  login: string;
  password_hash: string;
  name: string;
  phone: string | null;
  email: string | null;
  locale: string;
  /** JSON array of store ids a manager or cashier is scoped to; null = all stores of the merchant. */
  store_ids: string | null;
  status: UserStatus;
  created_at: number;
}

export interface OperatorsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  operator_no: string;
  name: string;
  password_hash: string;
  status: 'active' | 'disabled';
  /** The staff member this operator number belongs to (null only for rows older than provisioning). */
  staff_id: string | null;
  /** Permissions checked on the terminal routes (0/1), and the largest amount one refund or void may return. */
  may_refund: number;
  may_void: number;
  may_settle: number;
  refund_cap: number | null;
  created_at: number;
}

export type UserRow = Selectable<UsersTable>;
export type OperatorRow = Selectable<OperatorsTable>;

/** `store_ids`: the stores a manager or cashier is limited to (null: every store of the merchant). */
export const StoreIdsColumn = jsonColumn(z.array(z.string()));
