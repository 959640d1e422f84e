import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idempotencyOf } from '../idempotency/index.js';
import { terminalOf } from '../terminals/index.js';
import { SettlementSchema } from './settlement.schema.js';
import type { SettlementsService } from './settlements.service.js';

const SettleBody = z
  .object({
    allow_empty: z
      .boolean()
      .default(false)
      .describe('close the batch even when it holds no transaction (otherwise 422 BATCH_EMPTY)'),
  })
  .strict()
  .meta({ examples: [{ allow_empty: false }] })
  // No body at all arrives as null.
  .nullish();

/** The request as hashed and done: `{}`, no body and `{"allow_empty": false}` are the same request. */
function settleRequest(body: unknown): { allow_empty: boolean } {
  return { allow_empty: SettleBody.parse(body)?.allow_empty ?? false };
}

/** POST /v1/settlements: close the terminal's open batch (结算); requires Idempotency-Key like sales and refunds. */
export function settlementRoutes(deps: { settlements: SettlementsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/settlements',
      {
        config: { auth: 'operator', idempotency: { route: 'POST /v1/settlements', hashBody: settleRequest } },
        schema: {
          tags: ['terminal'],
          summary: 'Close the open batch: totals per method, fees, net; requires Idempotency-Key',
          body: SettleBody,
          response: { 201: SettlementSchema },
        },
      },
      async (request, reply) => {
        const allowEmpty = settleRequest(request.body).allow_empty;
        const settlement = await deps.settlements.settle(terminalOf(request), { allowEmpty }, idempotencyOf(request));
        return reply.code(201).send(settlement);
      },
    );
  };
}
