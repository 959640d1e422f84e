import { z } from 'zod';
import { SaleSchema } from '../sales/index.js';

const Id = z.string().max(64);
const Fen = z.coerce.number().int().min(0).max(1_000_000_000_00);

/** The filters of GET /v1/sales and GET /v1/refunds, also taken by their CSV exports. */
export const ListFilters = {
  created_from: z.iso.datetime().optional().describe('ISO 8601 UTC, inclusive'),
  created_to: z.iso.datetime().optional().describe('ISO 8601 UTC, exclusive'),
  store_id: Id.optional(),
  terminal_id: Id.optional(),
  operator_id: Id.optional(),
  method: z
    .enum(['card', 'wechat', 'alipay', 'unionpay', 'cash', 'order'])
    .optional()
    .describe('payment method; for refunds, of the refunded sale'),
  amount_min: Fen.optional().describe('fen, inclusive'),
  amount_max: Fen.optional().describe('fen, inclusive'),
  reference: Id.optional().describe('the id (for refunds: the refund id or its sale id)'),
  card_last4: z
    .string()
    .regex(/^\d{4}$/)
    .optional()
    .describe('last 4 digits of the card; for refunds, of the refunded sale'),
};

export const Paging = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  starting_after: Id.optional(),
};

export const SaleStatus = z.enum(['pending', 'succeeded', 'declined', 'voided']);
export const RefundStatus = z.enum([
  'requires_authorization',
  'pending_approval',
  'succeeded',
  'canceled',
  'expired',
  'failed',
]);

/** A range the other way round is a mistake of the caller, not an empty answer. */
function rangesInOrder(q: {
  created_from?: string | undefined;
  created_to?: string | undefined;
  amount_min?: number | undefined;
  amount_max?: number | undefined;
}): boolean {
  if (q.amount_min !== undefined && q.amount_max !== undefined && q.amount_min > q.amount_max) return false;
  if (q.created_from && q.created_to && Date.parse(q.created_from) > Date.parse(q.created_to)) return false;
  return true;
}
const ORDER = { message: 'created_from must not be after created_to, nor amount_min above amount_max' };

export const SalesFilterQuery = z
  .strictObject({ ...ListFilters, status: SaleStatus.optional() })
  .refine(rangesInOrder, ORDER);
export const SalesQuery = z
  .strictObject({ ...Paging, ...ListFilters, status: SaleStatus.optional() })
  .refine(rangesInOrder, ORDER);

const RefundOnly = {
  sale_id: Id.optional(),
  status: RefundStatus.optional(),
  type: z.enum(['refund', 'void']).optional(),
};
export const RefundsFilterQuery = z.strictObject({ ...ListFilters, ...RefundOnly }).refine(rangesInOrder, ORDER);
export const RefundsQuery = z.strictObject({ ...Paging, ...ListFilters, ...RefundOnly }).refine(rangesInOrder, ORDER);

export type SalesFilter = z.infer<typeof SalesFilterQuery>;
export type RefundsFilter = z.infer<typeof RefundsFilterQuery>;

/** A sale as listed in the back office: the public Sale plus who took it. */
export const ListedSaleSchema = SaleSchema.extend({ operator_id: z.string() });
export type ListedSale = z.infer<typeof ListedSaleSchema>;

export const RefundSummarySchema = z.object({
  id: z.string(),
  object: z.literal('refund'),
  sale_id: z.string(),
  type: z.string(),
  amount: z.number(),
  currency: z.literal('CNY'),
  reason: z.string(),
  status: z.string(),
  store_id: z.string(),
  terminal_id: z.string(),
  operator_id: z.string(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
});
export type RefundSummary = z.infer<typeof RefundSummarySchema>;

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() });

/** One page of a list: `has_more` says whether `starting_after` the last item gives more. */
export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}
