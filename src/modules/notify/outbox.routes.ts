import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import type { DeliveryService } from './delivery.service.js';
import type { OutboxService } from './outbox.service.js';

const Counts = z.object({
  queued: z.number(),
  sending: z.number(),
  sent: z.number(),
  delivered: z.number(),
  failed: z.number(),
});

/** Operations on the outbox for platform admins: counts per status, oldest queued age, retry of a failed message. */
export function outboxRoutes(services: { outbox: OutboxService; delivery: DeliveryService }): FastifyPluginAsyncZod {
  const { outbox, delivery } = services;
  return async (app) => {
    app.get(
      '/v1/ops/outbox',
      {
        config: { auth: 'staff', roles: ['admin'] },
        schema: {
          tags: ['operations'],
          summary:
            'Messages per status, the age of the oldest queued one, and the transports of every delivering server',
          response: {
            200: z.object({
              counts: Counts,
              oldest_queued_age_s: z.number().nullable(),
              transports: z.object({ email: z.string(), sms: z.string(), webhook: z.string() }),
              /** Every server delivering messages (seen within 10 minutes), with the transports it reported. */
              servers: z.array(
                z.object({
                  instance: z.string(),
                  host: z.string(),
                  pid: z.number(),
                  transports: z.object({ email: z.string(), sms: z.string(), webhook: z.string() }),
                  seen_s_ago: z.number(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({
        ...(await outbox.stats()),
        transports: delivery.transportNames(),
        servers: await outbox.servers(),
      }),
    );

    app.post(
      '/v1/ops/outbox/:id/retry',
      {
        config: { auth: 'staff', roles: ['admin'] },
        schema: {
          tags: ['operations'],
          summary: 'Queue a failed message again now (never a code whose secret was erased)',
          params: z.object({ id: z.string().min(1).max(64) }),
          response: {
            200: z.object({ id: z.string(), status: z.string(), attempts: z.number(), give_up_at: z.string() }),
          },
        },
      },
      async (request) => {
        const row = await outbox.retry(request.params.id);
        return { id: row.id, status: row.status, attempts: row.attempts, give_up_at: toIso(row.give_up_at) };
      },
    );
  };
}
