import type { Selectable } from 'kysely';
import { jsonColumn } from '../../lib/json-column.js';

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

/** `report`: the Settlement answer as it was when the batch closed (the shape of SettlementSchema), kept as written. */
export const ReportColumn = jsonColumn<object>();
