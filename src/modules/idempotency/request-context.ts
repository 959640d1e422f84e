import type { FastifyRequest } from 'fastify';
import type { IdempotencyScope } from './idempotency.service.js';

/**
 * A route's `config.idempotency`: the create requires an Idempotency-Key, and the HTTP edge builds the request's scope
 * before the handler runs (src/http/idempotency.ts).
 */
export interface IdempotentRoute {
  /** Hashed with the body, so a key used on another route is another request. Stored hashes depend on it: never rename. */
  route: string;
  /** The body as fingerprinted, when several bodies mean the same request (default: the validated body). */
  hashBody?: (body: unknown) => unknown;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotency?: IdempotentRoute;
  }
  interface FastifyRequest {
    idempotency?: IdempotencyScope;
  }
}

/** The idempotency scope of a request on a route declared with `config.idempotency`. */
export function idempotencyOf(request: FastifyRequest): IdempotencyScope {
  if (!request.idempotency) throw new Error(`${request.routeOptions.url ?? request.url} has no config.idempotency`);
  return request.idempotency;
}
