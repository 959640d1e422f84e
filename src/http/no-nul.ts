import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';

/**
 * Refuse U+0000 anywhere in the path parameters, query or JSON body, before auth and validation. PostgreSQL text cannot
 * hold it (the query fails with 22021, which became a 500) while SQLite stores it: one rule keeps both databases
 * answering the same 400. Found by test/reliability/hostile-input.test.ts (`GET /v1/sales/sal_1%00` → 500 on PG).
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body)) {
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        { zh: '请求含有非法字符 U+0000', en: 'The request contains the character U+0000' },
        { param: 'request' },
      );
    }
  });
}

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000') || holdsNul(inner, depth + 1)) return true;
  }
  return false;
}
