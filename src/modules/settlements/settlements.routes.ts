import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdempotencyService } from '../idempotency/index.js';
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

/** POST /v1/settlements: close the terminal's open batch (结算); requires Idempotency-Key like sales and refunds. */
export function settlementRoutes(deps: {
  settlements: SettlementsService;
  idempotency: IdempotencyService;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/settlements',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['terminal'],
          summary: 'Close the open batch: totals per method, fees, net; requires Idempotency-Key',
          headers: z.object({ 'idempotency-key': z.string().optional() }),
          body: SettleBody,
          response: { 201: SettlementSchema },
        },
      },
      async (request, reply) => {
        const terminal = terminalOf(request);
        const allowEmpty = request.body?.allow_empty ?? false;
        // The body is hashed as parsed, so `{}`, no body and `{"allow_empty": false}` are the same request.
        const scope = deps.idempotency.scope(terminal.id, request.headers['idempotency-key'], 'POST /v1/settlements', {
          allow_empty: allowEmpty,
        });
        const answer = await deps.settlements.settle(terminal, { allowEmpty }, scope);
        if (deps.idempotency.wasReplayed(scope)) reply.header('idempotent-replayed', 'true');
        return reply.code(answer.statusCode as 201).send(answer.body);
      },
    );
  };
}
