import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/database.js';
import { AppError } from '../lib/errors.js';

interface Envelope {
  error: { code: string; message: string; [extra: string]: unknown };
}

// Fastify's own request errors, mapped to the codes of API.md.
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'INVALID_JSON',
    message: '请求体不是有效的 JSON / Body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: '请求体为空 / Body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE', message: '请求体过大 / Body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: '请使用 application/json / Use application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_REQUEST', message: '请求无效 / Invalid request' },
};

/** What a 503 DATABASE_UNAVAILABLE suggests: a PostgreSQL restart or failover takes a few seconds. */
const DATABASE_RETRY_AFTER_S = 2;

/** One place maps every error to the envelope of API.md; unknown errors become a generic 500 with the request id. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isDatabaseUnavailable(error)) {
    // The database is restarting or unreachable: the transaction did not commit, so the request can simply be retried.
    request.log.warn({ err: error }, 'database unavailable');
    return reply
      .code(503)
      .header('retry-after', String(DATABASE_RETRY_AFTER_S))
      .send({
        error: {
          code: 'DATABASE_UNAVAILABLE',
          message: '数据库暂时不可用，请稍后重试 / The database is unavailable, retry shortly',
          retry_after_s: DATABASE_RETRY_AFTER_S,
          request_id: request.id,
        },
      });
  }
  const { status, envelope } = toEnvelope(error, request);
  if (status >= 500) request.log.error({ err: error }, 'unhandled error');
  return reply.code(status).send(envelope);
}

function toEnvelope(error: FastifyError | Error, request: FastifyRequest): { status: number; envelope: Envelope } {
  if (error instanceof AppError) {
    return { status: error.status, envelope: { error: { code: error.code, message: error.message, ...error.extra } } };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const path = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? '';
    const where = error.validationContext === 'headers' ? 'header' : error.validationContext;
    return {
      status: 400,
      envelope: {
        error: {
          code: 'VALIDATION_FAILED',
          message: `请求参数无效 / Invalid ${where ?? 'request'}: ${first?.message ?? 'invalid'}`,
          param: path || where,
          details: error.validation.map((v) => ({
            param: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
            message: v.message,
          })),
        },
      },
    };
  }
  const known = 'code' in error && typeof error.code === 'string' ? FASTIFY_CODES[error.code] : undefined;
  if (known) return { status: known.status, envelope: { error: { code: known.code, message: known.message } } };
  const statusCode = 'statusCode' in error ? error.statusCode : undefined;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      status: statusCode,
      envelope: { error: { code: 'INVALID_REQUEST', message: '请求无效 / Invalid request' } },
    };
  }
  return {
    status: 500,
    envelope: { error: { code: 'INTERNAL_ERROR', message: '服务器内部错误 / Internal error', request_id: request.id } },
  };
}

/** Unknown routes answer in the same envelope. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send({
    error: { code: 'ROUTE_NOT_FOUND', message: `无此接口 / No route ${request.method} ${request.url.split('?')[0]}` },
  });
}
