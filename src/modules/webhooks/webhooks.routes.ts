import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { staffOf } from '../access/index.js';
import { WEBHOOK_EVENTS, type WebhooksService } from './webhooks.service.js';

const Endpoint = z.object({
  id: z.string(),
  merchant_id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  created_at: z.string(),
});
const Delivery = z.object({
  id: z.string(),
  outbox_id: z.string(),
  event_id: z.string(),
  event: z.string(),
  attempt: z.number(),
  status_code: z.number().nullable(),
  ok: z.boolean(),
  error: z.string().nullable(),
  duration_ms: z.number(),
  at: z.string(),
});
const CreateBody = z.strictObject({
  url: z.string().min(1).max(2048),
  events: z
    .array(z.enum([...WEBHOOK_EVENTS, '*']))
    .min(1)
    .max(20)
    .optional(),
  description: z.string().max(200).optional(),
});
const Params = z.object({ id: z.string().min(1).max(64) });

function merchantOf(staff: { merchantId: string | null }): string {
  if (!staff.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
  return staff.merchantId;
}

/** Webhook endpoints of the owner's merchant: create (after re-authentication), list, disable, delivery log. */
export function webhookRoutes(services: { webhooks: WebhooksService }): FastifyPluginAsyncZod {
  const { webhooks } = services;
  return async (app) => {
    app.post(
      '/v1/webhook-endpoints',
      {
        config: { auth: 'staff', roles: ['owner'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Register a webhook endpoint; the signing secret is shown once',
          body: CreateBody,
          response: { 201: z.object({ endpoint: Endpoint, secret: z.string() }) },
        },
      },
      async (request, reply) => {
        const merchantId = merchantOf(staffOf(request));
        const { url, events, description } = request.body;
        const created = await webhooks.createEndpoint({
          merchantId,
          url,
          ...(events ? { events } : {}),
          ...(description ? { description } : {}),
        });
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/v1/webhook-endpoints',
      {
        config: { auth: 'staff', roles: ['owner'] },
        schema: {
          tags: ['back office'],
          summary: "The merchant's webhook endpoints",
          response: { 200: z.object({ data: z.array(Endpoint) }) },
        },
      },
      async (request) => ({ data: await webhooks.listEndpoints(merchantOf(staffOf(request))) }),
    );

    app.get(
      '/v1/webhook-endpoints/:id/deliveries',
      {
        config: { auth: 'staff', roles: ['owner'] },
        schema: {
          tags: ['back office'],
          summary: 'Delivery log of one endpoint, newest first',
          params: Params,
          response: { 200: z.object({ data: z.array(Delivery) }) },
        },
      },
      async (request) => ({ data: await webhooks.deliveries(merchantOf(staffOf(request)), request.params.id) }),
    );

    app.post(
      '/v1/webhook-endpoints/:id/disable',
      {
        config: { auth: 'staff', roles: ['owner'] },
        schema: {
          tags: ['back office'],
          summary: 'Stop sending to an endpoint',
          params: Params,
          response: { 200: z.object({ id: z.string(), status: z.literal('disabled') }) },
        },
      },
      async (request) => {
        await webhooks.disableEndpoint(merchantOf(staffOf(request)), request.params.id);
        return { id: request.params.id, status: 'disabled' as const };
      },
    );
  };
}
