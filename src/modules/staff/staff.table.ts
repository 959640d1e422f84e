import type { Selectable } from 'kysely';

export type StaffRole = 'owner' | 'manager' | 'cashier' | 'admin';

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
  created_at: number;
}

export type UserRow = Selectable<UsersTable>;
export type OperatorRow = Selectable<OperatorsTable>;
