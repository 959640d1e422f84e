import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/request-context.js';
import { SaleSchema } from '../sales/sales.schemas.js';
import type { ReportsService } from './reports.service.js';

const Id = z.string().max(64);
const Paging = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  starting_after: Id.optional(),
  created_from: z.iso.datetime().optional().describe('ISO 8601 UTC, inclusive'),
  created_to: z.iso.datetime().optional().describe('ISO 8601 UTC, exclusive'),
  store_id: Id.optional(),
  terminal_id: Id.optional(),
};

const RefundSummary = z.object({
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

const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() });

/** GET /v1/sales and GET /v1/refunds for the back office: filters, `limit`, `starting_after` → `{data, has_more}`. */
export function reportsRoutes(deps: { reports: ReportsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/sales',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['back office'],
          summary: 'Sales of your stores, newest first (消费记录)',
          querystring: z.strictObject({
            ...Paging,
            status: z.enum(['pending', 'succeeded', 'declined', 'voided']).optional(),
          }),
          response: { 200: listOf(SaleSchema) },
        },
      },
      async (request) => deps.reports.sales(staffOf(request), request.query),
    );

    app.get(
      '/v1/refunds',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['back office'],
          summary: 'Refunds and voids of your stores, newest first (退款记录)',
          querystring: z.strictObject({
            ...Paging,
            sale_id: Id.optional(),
            status: z
              .enum(['requires_authorization', 'pending_approval', 'succeeded', 'canceled', 'expired', 'failed'])
              .optional(),
            type: z.enum(['refund', 'void']).optional(),
          }),
          response: { 200: listOf(RefundSummary) },
        },
      },
      async (request) => deps.reports.refunds(staffOf(request), request.query),
    );
  };
}
