// The settlement report's shape, shared by POST /v1/settlements and the back office's batch reports (reports module).
import { z } from 'zod';

const CountAmount = z.object({ count: z.number(), amount: z.number() });
const Line = z.object({
  sales: CountAmount,
  voids: CountAmount,
  refunds: CountAmount,
  fees: z.number(),
  net: z.number(),
});
/** The settlement report; also what GET /v1/settlements/:id shows of a closed batch. */
export const SettlementSchema = z.object({
  id: z.string(),
  terminal_id: z.string(),
  status: z.literal('closed'),
  currency: z.literal('CNY'),
  opened_at: z.string(),
  closed_at: z.string(),
  by_method: z.array(Line.extend({ method: z.enum(['bank_card', 'qr', 'order', 'cash']) })),
  totals: Line,
});
