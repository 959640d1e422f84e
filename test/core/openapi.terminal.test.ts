// Issue 10, 16: /docs "Try it out" works for the terminal API. The OpenAPI document attaches security schemes to the
// operations (terminal key; X-Operator-Session where an operator must be signed in), marks Idempotency-Key required
// where the server requires it, gives every 4xx the error envelope, describes every answer, and its examples are
// accepted by the real server. Each claim of the document is checked against what the server actually does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

interface Operation {
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: JsonSchema }> }>;
}
interface JsonSchema {
  required?: string[];
  properties?: Record<string, JsonSchema>;
}

const TERMINAL_KEY = [{ terminalKey: [] }];
const OPERATOR = [{ terminalKey: [], operatorSession: [] }];
/** The terminal API of docs/api.md with what each operation requires. */
const TERMINAL_OPERATIONS: Array<[method: string, path: string, security: unknown[], keyed: boolean]> = [
  ['post', '/v1/terminals/activate', [], false],
  ['post', '/v1/operator-sessions', TERMINAL_KEY, false],
  ['post', '/v1/sales', OPERATOR, true],
  ['get', '/v1/sales/{id}', TERMINAL_KEY, false],
  ['post', '/v1/refunds', OPERATOR, true],
  ['post', '/v1/refunds/{id}/authorize', OPERATOR, false],
  ['post', '/v1/refunds/{id}/resend-code', OPERATOR, false],
  ['post', '/v1/refunds/{id}/cancel', OPERATOR, false],
  ['get', '/v1/refunds/{id}', TERMINAL_KEY, false],
  ['post', '/v1/settlements', OPERATOR, true],
];

describe.each(DIALECTS)('OpenAPI of the terminal API [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, Record<string, string>> };
  };
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    doc = (await t.request('GET', '/openapi.json')).body;
  });
  afterAll(async () => t?.close());

  const operation = (method: string, path: string): Operation => {
    const op = doc.paths[path]?.[method];
    if (!op) throw new Error(`${method} ${path} is not in /openapi.json`);
    return op;
  };
  const url = (path: string) => path.replace('{id}', 'sal_or_ref_unknown');

  it('declares the terminal key (bearer) and the operator session (X-Operator-Session header) as schemes', () => {
    expect(doc.components.securitySchemes.terminalKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.operatorSession).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-Operator-Session',
    });
  });

  it.each(TERMINAL_OPERATIONS)('%s %s: security as the server enforces it', async (method, path, security) => {
    expect(operation(method, path).security).toEqual(security);
    const verb = method.toUpperCase() as 'GET' | 'POST';
    if (security.length === 0) return;
    // Without any credential: 401.
    const anonymous = await t.request(verb, url(path), { body: verb === 'POST' ? {} : undefined });
    expect(anonymous.status).toBe(401);
    if (security === OPERATOR) {
      // The terminal key alone is not enough where the document asks for the operator session too.
      const keyOnly = await t.request(verb, url(path), {
        headers: { authorization: `Bearer ${m.terminal.key}`, 'idempotency-key': 'openapi-key-only' },
        body: {},
      });
      expect(keyOnly.status).toBe(401);
      expect(keyOnly.body.error.code).toBe('OPERATOR_SESSION_REQUIRED');
    }
  });

  it.each(TERMINAL_OPERATIONS)(
    '%s %s: Idempotency-Key is required exactly where the server requires it',
    async (method, path, _security, keyed) => {
      const header = operation(method, path).parameters?.find((p) => p.in === 'header' && p.name === 'idempotency-key');
      if (!keyed) {
        expect(header).toBeUndefined();
        return;
      }
      expect(header?.required).toBe(true);
      // A body the server accepts (the documented example), so that only the missing key is refused.
      const body = operation(method, path).requestBody?.content['application/json']?.example ?? {};
      const withoutKey = await t.request('POST', path, { headers: m.terminal.headers(), body });
      expect(withoutKey.status).toBe(400);
      expect(withoutKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    },
  );

  it.each(TERMINAL_OPERATIONS)('%s %s: every answer described, every 4xx with the error envelope', (method, path) => {
    const { responses } = operation(method, path);
    const statuses = Object.keys(responses);
    expect(statuses.some((s) => s.startsWith('2'))).toBe(true);
    expect(statuses).toEqual(expect.arrayContaining(['400', '4XX', '5XX']));
    for (const [status, answer] of Object.entries(responses)) {
      expect(answer.description, status).toMatch(/\w/);
      expect(answer.description, status).not.toBe('Default Response');
      if (!/^[45]/.test(status)) continue;
      const envelope = answer.content?.['application/json']?.schema;
      expect(envelope?.required, status).toEqual(['error']);
      expect(envelope?.properties?.error?.required, status).toEqual(['code', 'message', 'request_id']);
    }
  });

  it('the documented sale example is a real payment: a test card, 12/30, a sensible amount', async () => {
    const example = operation('post', '/v1/sales').requestBody?.content['application/json']?.example as {
      amount: number;
      payment_method: { card: { number: string; expiry: string } };
    };
    expect(example.payment_method.card).toMatchObject({ number: '6222020000000007', expiry: '12/30' });
    expect(example.amount).toBeGreaterThanOrEqual(100);
    expect(example.amount).toBeLessThanOrEqual(100_000);
    const sale = await m.terminal.post('/v1/sales', example);
    expect(sale.status).toBe(201);
    expect(sale.body.status).toBe('succeeded');
  });

  it('every documented request example passes the server validation', async () => {
    for (const [method, path] of TERMINAL_OPERATIONS) {
      const example = operation(method, path).requestBody?.content['application/json']?.example;
      if (example === undefined) continue;
      const answer = await m.terminal.post(url(path), example);
      // Placeholders (an activation code, a sale id) may be unknown, but the shape is never refused.
      expect(answer.body?.error?.code, `${method} ${path}`).not.toBe('VALIDATION_FAILED');
    }
  });
});
