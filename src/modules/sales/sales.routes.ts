import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdempotencyService } from '../idempotency/index.js';
import { type Refund, RefundSchema } from '../refund-model/index.js';
import { operatorOf, terminalOf } from '../terminals/index.js';
import { toSale } from './sale-view.js';
import { CreateSaleBody, SaleSchema } from './sales.schemas.js';
import type { SalesService } from './sales.service.js';

const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().optional() });

/** POST /v1/sales and GET /v1/sales/:id. */
export function salesRoutes(deps: {
  sales: SalesService;
  /** The refunds of a sale, oldest first (given by the refunds module, which sits above this one). */
  refundsOfSale: (saleId: string) => Promise<Refund[]>;
  idempotency: IdempotencyService;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/sales',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['terminal'],
          summary: 'Take a payment (消费); requires Idempotency-Key',
          headers: IdempotencyHeaders,
          body: CreateSaleBody,
          response: { 201: SaleSchema, 202: SaleSchema },
        },
      },
      async (request, reply) => {
        const terminal = terminalOf(request);
        const scope = deps.idempotency.scope(
          terminal.id,
          request.headers['idempotency-key'],
          'POST /v1/sales',
          request.body,
        );
        const answer = await deps.sales.createSale(terminal, operatorOf(request), request.body, scope);
        if (deps.idempotency.wasReplayed(scope)) reply.header('idempotent-replayed', 'true');
        return reply.code(answer.statusCode as 201).send(answer.body);
      },
    );

    app.get(
      '/v1/sales/:id',
      {
        config: { auth: 'terminal' },
        schema: {
          tags: ['terminal'],
          summary: 'A sale with its refunds',
          params: z.object({ id: z.string().max(64) }),
          response: { 200: SaleSchema.extend({ refunds: z.array(RefundSchema) }) },
        },
      },
      async (request) => {
        const row = await deps.sales.getSale(terminalOf(request), request.params.id);
        return { ...toSale(row), refunds: await deps.refundsOfSale(row.id) };
      },
    );
  };
}
