import type { Selectable } from 'kysely';

export interface TerminalsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  name: string;
  /** retired: taken out of service for good; its key and activation code no longer work. */
  status: 'pending' | 'active' | 'disabled' | 'retired';
  key_hash: string | null;
  activation_code_hash: string | null;
  activation_expires_at: number | null;
  activated_at: number | null;
  created_at: number;
}

export interface OperatorSessionsTable {
  token_hash: string;
  operator_id: string;
  terminal_id: string;
  expires_at: number;
  created_at: number;
}

export type TerminalRow = Selectable<TerminalsTable>;
