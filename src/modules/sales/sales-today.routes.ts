import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Executor } from '../../db/schema.js';
import { type Clock, DAY, HOUR } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { terminalOf } from '../terminals/index.js';
import { toSale } from './sale-view.js';
import { SaleSchema } from './sales.schemas.js';
import { terminalSalePosition, terminalSalesBetween } from './sales-today.repository.js';

const TodayQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  starting_after: z.string().min(1).max(64).optional().describe('the last `id` of the previous page'),
});

/** Beijing time is UTC+8 all year (no daylight saving). */
const BEIJING_OFFSET = 8 * HOUR;

/** The start and end (ms, UTC) of the Beijing calendar day that holds `now`. */
export function beijingDayOf(now: number): { from: number; to: number } {
  const from = Math.floor((now + BEIJING_OFFSET) / DAY) * DAY - BEIJING_OFFSET;
  return { from, to: from + DAY };
}

/**
 * GET /v1/terminal/sales: the sales this terminal took today (Beijing time), newest first, for the cashier's
 * "today" list and for finding the sale to refund without a reference. Only the terminal's own sales, so a device
 * never sees another till's takings; an operator must be signed in.
 */
export function todaySalesRoutes(deps: { db: Executor; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/terminal/sales',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['terminal'],
          summary: "This terminal's sales of today (Beijing time), newest first (今日交易)",
          querystring: TodayQuery,
          response: { 200: z.object({ data: z.array(SaleSchema), has_more: z.boolean() }) },
        },
      },
      async (request) => {
        const terminal = terminalOf(request);
        const scope = { merchantId: terminal.merchantId, terminalId: terminal.id };
        let after: { createdAt: number; id: string } | null = null;
        if (request.query.starting_after) {
          after = (await terminalSalePosition(deps.db, scope, request.query.starting_after)) ?? null;
          // Another terminal's sale is as unknown as one that never existed.
          if (!after) throw AppError.from(CommonErrors, 'VALIDATION_FAILED', { param: 'starting_after' });
        }
        const day = beijingDayOf(deps.clock.now());
        const rows = await terminalSalesBetween(deps.db, { ...scope, ...day, limit: request.query.limit, after });
        return { data: rows.slice(0, request.query.limit).map(toSale), has_more: rows.length > request.query.limit };
      },
    );
  };
}
