import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idempotencyOf } from '../idempotency/index.js';
import { type Refund, RefundSchema } from '../refund-model/index.js';
import { operatorOf, terminalOf } from '../terminals/index.js';
import { toSale } from './sale-view.js';
import { CreateSaleBody, SaleSchema } from './sales.schemas.js';
import type { SalesService } from './sales.service.js';

/** POST /v1/sales and GET /v1/sales/:id. */
export function salesRoutes(deps: {
  sales: SalesService;
  /** The refunds of a sale, oldest first (given by the refunds module, which sits above this one). */
  refundsOfSale: (saleId: string) => Promise<Refund[]>;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/sales',
      {
        config: { auth: 'operator', idempotency: { route: 'POST /v1/sales' } },
        schema: {
          tags: ['terminal'],
          summary: 'Take a payment (消费); requires Idempotency-Key',
          body: CreateSaleBody,
          response: { 201: SaleSchema, 202: SaleSchema },
        },
      },
      async (request, reply) => {
        const scope = idempotencyOf(request);
        const sale = await deps.sales.createSale(terminalOf(request), operatorOf(request), request.body, scope);
        // 202 while the acquirer's answer is unknown (docs/api.md, POST /v1/sales).
        return reply.code(sale.status === 'pending' ? 202 : 201).send(sale);
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
