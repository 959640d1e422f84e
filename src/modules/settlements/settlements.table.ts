import type { Selectable } from 'kysely';

export interface BatchesTable {
  id: string;
  merchant_id: string;
  terminal_id: string;
  status: 'open' | 'closed';
  opened_at: number;
  closed_at: number | null;
  /** JSON Settlement report, written when the batch closes. */
  report: string | null;
}

export type BatchRow = Selectable<BatchesTable>;
