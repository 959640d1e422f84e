import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/database.js';
import { AppError, CommonErrors } from '../lib/errors.js';
import { fieldMessageIn, type Lang, localized, pickLanguage, type Texts, textIn } from '../lib/i18n.js';

interface Envelope {
  error: { code: string; message: string; request_id: string; [extra: string]: unknown };
}

interface KnownError {
  status: number;
  code: string;
  texts: Texts;
  extra?: Record<string, unknown>;
}

// Fastify's own request errors, mapped to the codes of docs/api.md.
const FASTIFY_CODES: Record<string, KnownError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'INVALID_JSON',
    texts: { zh: '请求体不是有效的 JSON', en: 'Body is not valid JSON' },
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON', texts: { zh: '请求体为空', en: 'Body is empty' } },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    texts: { zh: '请求体过大', en: 'Body too large' },
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    texts: { zh: '请使用 application/json', en: 'Use application/json' },
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'INVALID_REQUEST',
    texts: { zh: '请求无效', en: 'Invalid request' },
  },
};

const INVALID_REQUEST: Texts = { zh: '请求无效', en: 'Invalid request' };
const INTERNAL_ERROR: Texts = { zh: '服务器内部错误', en: 'Internal error' };

/** What a 503 DATABASE_UNAVAILABLE suggests: a PostgreSQL restart or failover takes a few seconds. */
const DATABASE_RETRY_AFTER_S = 2;

/** The language of this request's error messages (`Accept-Language`: zh-CN by default, or English). */
export function languageOf(request: FastifyRequest): Lang {
  const header = request.headers['accept-language'];
  return pickLanguage(Array.isArray(header) ? header[0] : header);
}

/**
 * One place maps every error to the envelope of docs/api.md: the message in the request's language, the request id in
 * every body, `Retry-After` whenever the body says `retry_after_s`. Unknown errors become a generic 500.
 */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const lang = languageOf(request);
  const known = toKnownError(error, request, lang);
  if (known.status >= 500 && known.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'unhandled error');
  if (known.code === 'DATABASE_UNAVAILABLE') {
    // The database is restarting or unreachable: the transaction did not commit, so the request can simply be retried.
    request.log.warn({ err: error }, 'database unavailable');
  }
  return sendError(reply, request, lang, known);
}

/** Unknown routes answer in the same envelope. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const route = `${request.method} ${request.url.split('?')[0]}`;
  return sendError(reply, request, languageOf(request), {
    status: 404,
    code: 'ROUTE_NOT_FOUND',
    texts: { zh: `无此接口：${route}`, en: `No route ${route}` },
  });
}

function sendError(reply: FastifyReply, request: FastifyRequest, lang: Lang, known: KnownError): FastifyReply {
  const envelope: Envelope = {
    // Extra fields may carry texts too (the reasons of a refused password): in the same one language.
    error: {
      code: known.code,
      message: textIn(known.texts, lang),
      ...localized(known.extra, lang),
      request_id: request.id,
    },
  };
  // A client that waits as told never hits the lock or the limit again just to learn how long it lasts.
  const retryAfter = envelope.error.retry_after_s;
  if (typeof retryAfter === 'number' && retryAfter >= 0 && (known.status === 423 || known.status >= 429)) {
    reply.header('retry-after', String(Math.ceil(retryAfter)));
  }
  return reply.code(known.status).header('content-language', lang).send(envelope);
}

function toKnownError(error: FastifyError | Error, request: FastifyRequest, lang: Lang): KnownError {
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      texts: { zh: '数据库暂时不可用，请稍后重试', en: 'The database is unavailable, retry shortly' },
      extra: { retry_after_s: DATABASE_RETRY_AFTER_S },
    };
  }
  if (error instanceof AppError) {
    return { status: error.status, code: error.code, texts: error.texts, extra: error.extra };
  }
  if (hasZodFastifySchemaValidationErrors(error)) return validationError(error, request, lang);
  const known = 'code' in error && typeof error.code === 'string' ? FASTIFY_CODES[error.code] : undefined;
  if (known) return known;
  const statusCode = 'statusCode' in error ? error.statusCode : undefined;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, code: 'INVALID_REQUEST', texts: INVALID_REQUEST };
  }
  return { status: 500, code: 'INTERNAL_ERROR', texts: INTERNAL_ERROR };
}

type ValidationFailure = Omit<FastifyError, 'validation'> & { validation: ZodFastifySchemaValidationError[] };
type ValidationIssue = ZodFastifySchemaValidationError;

const WHERE: Record<string, Texts> = {
  body: { zh: '请求体', en: 'body' },
  querystring: { zh: '查询参数', en: 'querystring' },
  params: { zh: '路径参数', en: 'params' },
  headers: { zh: '请求头', en: 'header' },
};

const zhCN = z.locales.zhCN();

function validationError(error: ValidationFailure, request: FastifyRequest, lang: Lang): KnownError {
  const context = error.validationContext ?? 'request';
  const where = WHERE[context] ?? { zh: '请求', en: 'request' };
  const issues = error.validation.map((v) => ({
    param: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
    message: issueMessage(v, request, context, lang),
  }));
  const first = issues[0];
  const param = first?.param ? ` ${first.param}` : '';
  return {
    status: 400,
    code: 'VALIDATION_FAILED',
    texts: {
      zh: `${CommonErrors.VALIDATION_FAILED.zh}（${where.zh}${param}）：${first?.message ?? '无效'}`,
      en: `Invalid ${where.en}${param}: ${first?.message ?? 'invalid'}`,
    },
    extra: { param: first?.param || (context === 'headers' ? 'header' : context), details: issues },
  };
}

/** One issue in the request's language: our own field messages carry both; zod's own are rendered by its locale. */
function issueMessage(issue: ValidationIssue, request: FastifyRequest, context: string, lang: Lang): string {
  const raw = issue.message ?? '';
  const ours = fieldMessageIn(raw, lang);
  if (ours !== undefined) return ours;
  if (lang === 'en') return raw;
  const path = issue.instancePath.split('/').filter(Boolean);
  // zod's locale names the type it received, which the issue no longer carries: read it from the request.
  const input = valueAt(requestPart(request, context), path);
  const rendered = zhCN.localeError({ ...issue.params, code: issue.keyword, path, input } as never);
  const text = typeof rendered === 'string' ? rendered : rendered?.message;
  return text ?? raw;
}

function requestPart(request: FastifyRequest, context: string): unknown {
  if (context === 'body') return request.body;
  if (context === 'querystring') return request.query;
  if (context === 'params') return request.params;
  if (context === 'headers') return request.headers;
  return undefined;
}

function valueAt(value: unknown, path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}
