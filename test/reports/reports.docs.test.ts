// The report routes and their error codes are part of the contract: each is in docs/api.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReportErrors } from '../../src/modules/reports/reports.errors.js';

describe('docs/api.md documents the back-office reports', () => {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const documented = new Map(
    [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)`\s*\| (\d{3})\s*\|/gm)].map((m) => [m[1] ?? '', Number(m[2])]),
  );

  it('every code of the reports module with its status', () => {
    const wrong = Object.entries(ReportErrors)
      .filter(([code, spec]) => documented.get(code) !== spec.status)
      .map(([code, spec]) => `${code} ${spec.status} (documented: ${documented.get(code) ?? 'missing'})`);
    expect(wrong).toEqual([]);
  });

  it('every report route', () => {
    for (const route of [
      'GET /v1/sales',
      'GET /v1/refunds',
      'GET /v1/sales/export.csv',
      'GET /v1/refunds/export.csv',
      'GET /v1/settlements',
      'GET /v1/settlements/:id',
      'GET /v1/reports/summary',
      'GET /v1/reports/alerts',
      'POST /v1/messages/:id/retry',
      'GET /v1/audit',
      'GET /v1/audit/chain',
    ]) {
      expect(doc, route).toContain(route.replace(/^GET /, ''));
    }
  });
});
