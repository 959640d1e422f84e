import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { terminalOf } from '../terminals/request-context.js';
import type { SettlementsService } from './settlements.service.js';

const CountAmount = z.object({ count: z.number(), amount: z.number() });
const Line = z.object({
  sales: CountAmount,
  voids: CountAmount,
  refunds: CountAmount,
  fees: z.number(),
  net: z.number(),
});
const SettlementSchema = z.object({
  id: z.string(),
  terminal_id: z.string(),
  status: z.literal('closed'),
  currency: z.literal('CNY'),
  opened_at: z.string(),
  closed_at: z.string(),
  by_method: z.array(Line.extend({ method: z.enum(['bank_card', 'qr', 'order', 'cash']) })),
  totals: Line,
});

/** POST /v1/settlements: close the terminal's open batch (结算). */
export function settlementRoutes(settlements: SettlementsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/settlements',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['terminal'],
          summary: 'Close the open batch: totals per method, fees, net',
          response: { 201: SettlementSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await settlements.settle(terminalOf(request))),
    );
  };
}
