import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { staffOf } from '../access/index.js';
import type { KeyRecoveryService } from './key-recovery.service.js';

const Key = z.string().min(1).max(256);
const KeyStateView = z.object({
  scope: z.enum(['merchant', 'store']),
  store_id: z.string().nullable(),
  set: z.boolean(),
  policy: z.enum(['password', 'pin']),
  set_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  expired: z.boolean(),
});

/**
 * The forgotten refund key (忘记退款密钥): the owner only, signed in with a second factor and re-authenticated; the code
 * goes to the registered phone, never to a number given in the request.
 */
export function keyRecoveryRoutes(services: { keyRecovery: KeyRecoveryService }): FastifyPluginAsyncZod {
  const { keyRecovery } = services;
  return async (app) => {
    app.post(
      '/v1/refund-key/forgotten',
      {
        config: { auth: 'staff', roles: ['owner'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Forgotten refund key: text a code to the owner’s registered phone',
          body: z.strictObject({}).optional(),
          response: { 202: z.object({ sent_to: z.string(), expires_at: z.string() }) },
        },
      },
      async (request, reply) => {
        const sent = await keyRecovery.start(staffOf(request));
        return reply.code(202).send({ sent_to: sent.sentTo, expires_at: toIso(sent.expiresAt) });
      },
    );

    app.post(
      '/v1/refund-key/forgotten/confirm',
      {
        config: { auth: 'staff', roles: ['owner'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Forgotten refund key: the phone code and the new key (+ confirmation); the old key stops at once',
          body: z.strictObject({
            code: z.string().min(1).max(16),
            store_id: z.string().min(1).max(64).optional(),
            policy: z.enum(['password', 'pin']).optional(),
            new_key: Key,
            confirm_key: Key,
          }),
          response: { 200: KeyStateView },
        },
      },
      async (request) => {
        const b = request.body;
        const state = await keyRecovery.confirm(staffOf(request), {
          code: b.code,
          storeId: b.store_id,
          policy: b.policy,
          newKey: b.new_key,
          confirmKey: b.confirm_key,
        });
        return {
          scope: state.scope,
          store_id: state.storeId,
          set: state.set,
          policy: state.policy,
          set_at: state.setAt === null ? null : toIso(state.setAt),
          expires_at: state.expiresAt === null ? null : toIso(state.expiresAt),
          expired: state.expired,
        };
      },
    );
  };
}
