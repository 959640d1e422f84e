import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { RouteAuth } from '../modules/terminals/request-context.js';

/**
 * What /openapi.json and /docs say beyond the zod schemas, so that "Try it out" works: how each route authenticates
 * (from its `config.auth`), the headers it requires, the error envelope of every refusal, and a description for every
 * answer. Written once here at the edge; routes keep declaring only their own schemas.
 */
export const SECURITY_SCHEMES = {
  terminalKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'The terminal key from POST /v1/terminals/activate (终端密钥), sent as `Authorization: Bearer …`.',
  },
  operatorSession: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Operator-Session',
    description: 'The `operator_session` from POST /v1/operator-sessions (操作员签到); required with the terminal key.',
  },
  staffSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'rk_session',
    description: 'The back-office session cookie set by POST /v1/auth/login.',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'The `csrf_token` of the sign-in answer; required with the session cookie on every POST.',
  },
} as const;

type Security = Array<Partial<Record<keyof typeof SECURITY_SCHEMES, string[]>>>;

/** The security requirement of a route: what a caller must send, by the route's declared `config.auth`. */
export function securityOf(auth: RouteAuth | undefined, method: string): Security {
  if (auth === 'terminal') return [{ terminalKey: [] }];
  if (auth === 'operator') return [{ terminalKey: [], operatorSession: [] }];
  if (auth === 'staff') return method === 'GET' ? [{ staffSession: [] }] : [{ staffSession: [], csrfToken: [] }];
  return [];
}

const ERROR_ENVELOPE = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'request_id'],
      additionalProperties: true,
      properties: {
        code: { type: 'string', description: 'Stable, for programs (docs/api.md "Errors")', example: 'CARD_EXPIRED' },
        message: {
          type: 'string',
          description: 'For people, in the language of Accept-Language (zh-CN by default, or en)',
          example: '卡片已过期',
        },
        request_id: { type: 'string', description: 'Also in the request-id header and the server log' },
        param: { type: 'string', description: 'The input at fault' },
        attempts_left: { type: 'integer' },
        retry_after_s: { type: 'integer', description: 'Also sent as the Retry-After header (423, 429, 503)' },
        details: {
          type: 'array',
          items: { type: 'object', properties: { param: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
} as const;

const RETRY_AFTER = {
  type: 'integer',
  description: 'Seconds to wait before trying again (423 locked, 429 rate limited, 503 unavailable)',
};

/** Error answers every documented route may give, with the envelope. */
function errorResponses(auth: RouteAuth | undefined, keyed: boolean): Record<string, unknown> {
  const refusals: Record<string, unknown> = {
    400: {
      description: keyed
        ? 'Bad input (VALIDATION_FAILED, …) or no Idempotency-Key (IDEMPOTENCY_KEY_REQUIRED)'
        : 'Bad input: `param` and `details` name the fields (VALIDATION_FAILED, …)',
      ...ERROR_ENVELOPE,
    },
  };
  if (auth && auth !== 'public') {
    refusals[401] = {
      description:
        auth === 'staff'
          ? 'No or expired session (UNAUTHENTICATED, SESSION_EXPIRED)'
          : auth === 'operator'
            ? 'No or invalid terminal key, or no operator session (TERMINAL_KEY_INVALID, OPERATOR_SESSION_REQUIRED)'
            : 'No or invalid terminal key (TERMINAL_KEY_INVALID)',
      ...ERROR_ENVELOPE,
    };
  }
  refusals['4XX'] = {
    description: 'Refused: 403 not allowed, 404 not found, 409 conflict, 422 a rule refuses, 423 locked, 429 limited',
    headers: { 'Retry-After': RETRY_AFTER },
    ...ERROR_ENVELOPE,
  };
  refusals['5XX'] = {
    description: '500 INTERNAL_ERROR (quote request_id), 503 DATABASE_UNAVAILABLE (retry with the same key)',
    headers: { 'Retry-After': RETRY_AFTER },
    ...ERROR_ENVELOPE,
  };
  return refusals;
}

const SUCCESS: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the outcome is not known yet; GET the object later (or retry with the same Idempotency-Key)',
  204: 'Done, no body',
};

const REPLAYED = {
  type: 'string',
  enum: ['true'],
  description: '`true` when this answer repeats the first request with the same Idempotency-Key',
};

type JsonObject = Record<string, unknown> & {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  description?: string;
  headers?: Record<string, unknown>;
};

/** zod's JSON schemas, then security, required headers, error envelopes and response descriptions. */
const transform: NonNullable<FastifyDynamicSwaggerOptions['transform']> = (input) => {
  const { schema, url } = jsonSchemaTransform(input);
  if (!schema || (schema as { hide?: boolean }).hide) return { schema, url };
  const route = input.route as RouteOptions;
  const method = (Array.isArray(route.method) ? route.method[0] : route.method) ?? 'GET';
  const auth = route.config?.auth;
  // A keyed create (config.idempotency, checked at the edge by idempotency.ts) requires the header of its callers.
  const keyed = Boolean(route.config?.idempotency);
  if (keyed) {
    const headers = (schema.headers ?? { type: 'object', properties: {} }) as JsonObject;
    headers.properties = headers.properties ?? {};
    headers.required = [...new Set([...(headers.required ?? []), 'idempotency-key'])];
    schema.headers = headers;
    headers.properties['idempotency-key'] = {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'Any unique string per request, e.g. a UUID; retry with the same key (docs/api.md "Idempotency")',
      example: 'c0a8012e-7f7a-4c3e-9d51-2f1d6f0a9b11',
    };
  }
  const responses: Record<string, JsonObject> = { ...((schema.response as Record<string, JsonObject>) ?? {}) };
  if (!Object.keys(responses).some((status) => status.startsWith('2'))) responses[200] = { description: 'OK' };
  for (const [status, answer] of Object.entries(responses)) {
    const described = { ...answer, description: answer.description ?? SUCCESS[status] ?? 'Answer' };
    if (keyed && status.startsWith('2')) described.headers = { 'Idempotent-Replayed': REPLAYED };
    responses[status] = described;
  }
  const documented: FastifySchema & Record<string, unknown> = {
    ...schema,
    security: securityOf(auth, method),
    response: { ...responses, ...errorResponses(auth, keyed) },
  };
  return { schema: documented, url };
};

/** The @fastify/swagger options of the server. */
export function openApiOptions(): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: 'refundkey API',
        version: '0.1.0',
        description: [
          'Terminal, refund and back-office API (终端、退款与后台接口); the contract is docs/api.md.',
          '',
          'Try it out: activate a terminal (`POST /v1/terminals/activate` with an activation code from',
          '`refundkey demo`), press **Authorize** and paste the `terminal_key` into `terminalKey`; sign an operator in',
          '(`POST /v1/operator-sessions`) and paste the `operator_session` into `operatorSession`. Sales, refunds and',
          'settlements also need an `Idempotency-Key` header. Errors come in the language of `Accept-Language`.',
        ].join('\n'),
      },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform,
  };
}
