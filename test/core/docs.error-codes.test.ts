// Error codes are part of the contract: each code the HTTP layer, settlements and idempotency can answer is in the
// errors table of docs/api.md with its status (issue 10: DATABASE_UNAVAILABLE and BATCH_EMPTY were new).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../bench/lib/processes.js';
import { CommonErrors } from '../../src/lib/errors.js';
import { HashingErrors } from '../../src/lib/hashing.js';
import { IdempotencyErrors } from '../../src/modules/idempotency/idempotency.errors.js';
import { SettlementErrors } from '../../src/modules/settlements/settlements.errors.js';

const HTTP_LAYER: Record<string, number> = {
  INVALID_JSON: 400,
  INVALID_REQUEST: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ROUTE_NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
  DATABASE_UNAVAILABLE: 503,
};

describe('docs/api.md errors table', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
  const documented = new Map(
    [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1] ?? '', Number(m[2])]),
  );

  it('lists every code of the HTTP layer, settlements and idempotency with its status', () => {
    const expected: Record<string, number> = { ...HTTP_LAYER };
    for (const table of [CommonErrors, HashingErrors, SettlementErrors, IdempotencyErrors]) {
      for (const [code, spec] of Object.entries(table)) expected[code] = spec.status;
    }
    const wrong = Object.entries(expected)
      .filter(([code, status]) => documented.get(code) !== status)
      .map(([code, status]) => `${code} ${status} (documented: ${documented.get(code) ?? 'missing'})`);
    expect(wrong).toEqual([]);
  });

  it('documents the envelope, Retry-After on 503 and the settlement body', () => {
    expect(doc).toContain('{"error": {"code": "UPPER_SNAKE_CODE"');
    expect(doc).toContain('`Retry-After`');
    expect(doc).toContain('{"allow_empty": true}');
  });
});
