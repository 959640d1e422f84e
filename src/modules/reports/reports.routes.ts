import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/index.js';
import type { OutboxService } from '../notify/index.js';
import { SettlementSchema } from '../settlements/index.js';
import { refundsCsv, salesCsv } from './reports.csv.js';
import {
  ListedSaleSchema,
  listOf,
  Paging,
  RefundSummarySchema,
  RefundsFilterQuery,
  RefundsQuery,
  SalesFilterQuery,
  SalesQuery,
} from './reports.schemas.js';
import type { ReportsService } from './reports.service.js';

const Id = z.string().max(64);
const CountAmount = z.object({ count: z.number(), amount: z.number() });
const BeijingDate = z.iso.date().describe('a date in Beijing time, YYYY-MM-DD');

const BatchSchema = z.object({
  id: z.string(),
  object: z.literal('settlement_batch'),
  terminal_id: z.string(),
  store_id: z.string(),
  status: z.enum(['open', 'closed']),
  opened_at: z.string(),
  closed_at: z.string().nullable(),
  report: SettlementSchema.nullable(),
  open_sales: CountAmount.nullable(),
});

const SummarySchema = z.object({
  object: z.literal('summary'),
  from: z.string(),
  to: z.string(),
  store_id: z.string().nullable(),
  currency: z.literal('CNY'),
  totals: z.object({ sales: CountAmount, refunds: CountAmount, refund_rate: z.number() }),
  days: z.array(z.object({ date: z.string(), sales: CountAmount, refunds: CountAmount, refund_rate: z.number() })),
  by_method: z.array(CountAmount.extend({ method: z.string() })),
  by_operator: z.array(
    z.object({
      operator_id: z.string(),
      operator_no: z.string().nullable(),
      name: z.string().nullable(),
      sales: CountAmount,
      refunds: CountAmount,
    }),
  ),
  by_reason: z.array(CountAmount.extend({ reason: z.string() })),
});

const AlertsSchema = z.object({
  object: z.literal('alerts'),
  lockouts: z.array(
    z.object({
      kind: z.string(),
      subject: z.string(),
      terminal_name: z.string().nullable(),
      operator_no: z.string().nullable(),
      locked_until: z.string(),
      unlock: z.object({ method: z.literal('POST'), path: z.string() }).nullable(),
    }),
  ),
  failed_messages: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      template: z.string(),
      attempts: z.number(),
      last_error: z.string().nullable(),
      created_at: z.string(),
      failed_at: z.string(),
    }),
  ),
  velocity: z.array(
    z.object({
      at: z.string(),
      operator_id: z.string(),
      operator_no: z.string().nullable(),
      name: z.string().nullable(),
      store_id: z.string().nullable(),
      store_name: z.string().nullable(),
      terminal_id: z.string().nullable(),
      terminal_name: z.string().nullable(),
      count: z.number(),
      window_minutes: z.number(),
    }),
  ),
});

const backOffice = () => ({ auth: 'staff' as const, roles: ['owner' as const, 'manager' as const] });

/**
 * The back office's read side (报表): sales and refunds with filters, `limit`, `starting_after` → `{data, has_more}`
 * and their CSV exports; settlement batches; the dashboard's summary and alerts. All in the session's merchant and, for
 * a manager, their stores. An owner may send a failed message of the merchant again.
 */
export function reportsRoutes(deps: { reports: ReportsService; outbox: OutboxService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/sales',
      {
        config: backOffice(),
        schema: {
          tags: ['back office'],
          summary: 'Sales of your stores, newest first (消费记录)',
          querystring: SalesQuery,
          response: { 200: listOf(ListedSaleSchema) },
        },
      },
      async (request) => deps.reports.sales(staffOf(request), request.query),
    );

    app.get(
      '/v1/sales/export.csv',
      {
        config: backOffice(),
        schema: {
          tags: ['back office'],
          summary: 'The sales the filters select, as CSV (UTF-8, yuan, Beijing time, card masked)',
          querystring: SalesFilterQuery,
        },
      },
      async (request, reply) => {
        const rows = await deps.reports.allSales(staffOf(request), request.query);
        return csvReply(reply, 'sales', salesCsv(rows));
      },
    );

    app.get(
      '/v1/refunds',
      {
        config: backOffice(),
        schema: {
          tags: ['back office'],
          summary: 'Refunds and voids of your stores, newest first (退款记录)',
          querystring: RefundsQuery,
          response: { 200: listOf(RefundSummarySchema) },
        },
      },
      async (request) => deps.reports.refunds(staffOf(request), request.query),
    );

    app.get(
      '/v1/refunds/export.csv',
      {
        config: backOffice(),
        schema: {
          tags: ['back office'],
          summary: 'The refunds the filters select, as CSV (UTF-8, yuan, Beijing time)',
          querystring: RefundsFilterQuery,
        },
      },
      async (request, reply) => {
        const rows = await deps.reports.allRefunds(staffOf(request), request.query);
        return csvReply(reply, 'refunds', refundsCsv(rows));
      },
    );

    app.get(
      '/v1/settlements',
      {
        config: backOffice(),
        schema: {
          tags: ['back office'],
          summary: 'Settlement batches of your stores, newest first (结算批次)',
          querystring: z.strictObject({
            ...Paging,
            store_id: Id.optional(),
            terminal_id: Id.optional(),
            status: z.enum(['open', 'closed']).optional(),
          }),
          response: { 200: listOf(BatchSchema) },
        },
      },
      async (request) => deps.reports.batches.list(staffOf(request), request.query),
    );

    app.get(
      '/v1/settlements/:id',
      {
        config: backOffice(),
        schema: {
          tags: ['back office'],
          summary: 'One settlement batch: its report when closed, its sales so far when open',
          params: z.object({ id: Id }),
          response: { 200: BatchSchema },
        },
      },
      async (request) => deps.reports.batches.get(staffOf(request), request.params.id),
    );

    app.get(
      '/v1/reports/summary',
      {
        config: backOffice(),
        schema: {
          tags: ['back office'],
          summary:
            'Dashboard: sales and refunds per Beijing day, refund rate, by method, operator and reason (≤ 92 days)',
          querystring: z.strictObject({ from: BeijingDate, to: BeijingDate, store_id: Id.optional() }),
          response: { 200: SummarySchema },
        },
      },
      async (request) => deps.reports.summary.summary(staffOf(request), request.query),
    );

    app.get(
      '/v1/reports/alerts',
      {
        config: { auth: 'staff', roles: ['owner'] },
        schema: {
          tags: ['back office'],
          summary: 'What needs a look: active lockouts (with the route that ends each) and messages given up on',
          response: { 200: AlertsSchema },
        },
      },
      async (request) => deps.reports.summary.alerts(staffOf(request)),
    );

    app.post(
      '/v1/messages/:id/retry',
      {
        config: { auth: 'staff', roles: ['owner'] },
        schema: {
          tags: ['back office'],
          summary:
            'Send a failed (or still waiting) message of your merchant again now: an alert or a webhook delivery',
          params: z.object({ id: Id }),
          response: {
            200: z.object({ id: z.string(), status: z.string(), attempts: z.number(), give_up_at: z.string() }),
          },
        },
      },
      async (request) => deps.reports.summary.retryMessage(staffOf(request), deps.outbox, request.params.id),
    );
  };
}

function csvReply(reply: import('fastify').FastifyReply, name: string, body: string) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .header('cache-control', 'no-store')
    .send(body);
}
