import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { TestApp } from '../support/test-app.js';

// Issue 2 item 8: OpenAPI generated from the zod schemas at /openapi.json, browsable at /docs, and GET /healthz.
describe.each(DIALECTS)('http basics [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
  });
  afterAll(async () => t?.close());

  it('GET /healthz answers ok and names its database', async () => {
    const answer = await t.request('GET', '/healthz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok', database: dialect });
  });

  it('/openapi.json describes every terminal route of docs/api.md, with the zod request schemas', async () => {
    const answer = await t.request('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    const paths = answer.body.paths as Record<string, Record<string, unknown>>;
    for (const [method, path] of [
      ['post', '/v1/terminals/activate'],
      ['post', '/v1/operator-sessions'],
      ['post', '/v1/sales'],
      ['get', '/v1/sales/{id}'],
      ['post', '/v1/refunds'],
      ['post', '/v1/refunds/{id}/authorize'],
      ['post', '/v1/refunds/{id}/cancel'],
      ['get', '/v1/refunds/{id}'],
      ['post', '/v1/settlements'],
    ] as const) {
      expect(paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const saleBody = JSON.stringify(paths['/v1/sales']?.post);
    expect(saleBody).toContain('payment_method');
    expect(saleBody).toContain('100000000000');
  });

  it('/docs serves the browsable API description', async () => {
    const response = await t.app.server.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });
});
