import { toIso } from '../../lib/clock.js';
import type { Sale } from './sales.schemas.js';
import { MethodDetailColumn, type SaleRow } from './sales.table.js';

/** The public Sale of docs/api.md: card masked, refundable amount derived from the ledger columns. */
export function toSale(row: SaleRow): Sale {
  const live = row.status === 'succeeded' && row.voided === 0;
  return {
    id: row.id,
    object: 'sale',
    status: row.voided ? 'voided' : row.status,
    amount: row.amount,
    currency: 'CNY',
    payment_method: MethodDetailColumn.read(row.method_detail),
    refunded_amount: row.refunded_amount,
    refundable_amount: live ? row.amount - row.refunded_amount - row.reserved_amount : 0,
    batch_id: row.batch_id,
    store_id: row.store_id,
    terminal_id: row.terminal_id,
    created_at: toIso(row.created_at),
    ...(row.decline_code ? { decline_code: row.decline_code } : {}),
  };
}
