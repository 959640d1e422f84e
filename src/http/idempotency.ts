import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyService } from '../modules/idempotency/index.js';
import { terminalOf } from '../modules/terminals/index.js';

/**
 * Idempotent creates, once for every route declaring `config.idempotency`: after auth and body validation, the request's
 * scope (terminal, Idempotency-Key, route and body hash) is built, so a missing or over-long key is refused before
 * anything is written; the handler reads it with `idempotencyOf(request)` and the service claims the key inside the
 * transaction that creates the resource. An answer taken from an earlier request says `Idempotent-Replayed: true`.
 * The OpenAPI document shows the header from the same option (openapi.ts).
 */
export function registerIdempotency(
  app: FastifyInstance,
  idempotency: Pick<IdempotencyService, 'scope' | 'wasReplayed'>,
): void {
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const route = request.routeOptions.config.idempotency;
    if (!route) return;
    const header = request.headers['idempotency-key'];
    const body = route.hashBody ? route.hashBody(request.body) : request.body;
    request.idempotency = idempotency.scope(
      terminalOf(request).id,
      typeof header === 'string' ? header : undefined,
      route.route,
      body,
    );
  });
  // Only on an answer the handler gave: a refusal after the key was found (still in progress, say) is no replay.
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.idempotency && reply.statusCode < 400 && idempotency.wasReplayed(request.idempotency)) {
      reply.header('idempotent-replayed', 'true');
    }
  });
}
