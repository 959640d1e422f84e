// docs/api.md "Idempotency": the three keyed creates (sales, refunds, settlements) declare `config.idempotency` and the
// edge does the rest: no terminal → 401 TERMINAL_KEY_INVALID, no or an over-long key → 400 IDEMPOTENCY_KEY_REQUIRED
// with param Idempotency-Key, both before anything is written; and only an answer taken from an earlier request says
// Idempotent-Replayed (the replays of each route are in test/core/errors.language.test.ts and idempotency.test.ts).
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DIALECTS } from '../../test/support/databases.js';
import { CARD_OK, type SeededMerchant, TestApp } from '../../test/support/test-app.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { ManualClock } from '../lib/clock.js';
import { IdempotencyService, idempotencyOf } from '../modules/idempotency/index.js';
import { errorHandler } from './errors.js';
import { registerIdempotency } from './idempotency.js';

const Body = z.object({ n: z.number().optional() });

describe('config.idempotency on a route of its own', () => {
  const database = openDatabase('sqlite::memory:');
  const { db } = database;
  const idempotency = new IdempotencyService(db, new ManualClock(0));
  let app: FastifyInstance;
  const handled: unknown[] = [];

  beforeAll(async () => {
    await migrateToLatest(db);
    const server = Fastify().withTypeProvider<ZodTypeProvider>();
    server.setValidatorCompiler(validatorCompiler);
    server.setSerializerCompiler(serializerCompiler);
    server.setErrorHandler(errorHandler);
    // Stands in for terminal-auth.ts: a terminal only when the test names one.
    server.addHook('preValidation', async (request) => {
      const id = request.headers['x-terminal'];
      if (typeof id === 'string') request.terminal = { id, merchantId: 'mer_1', storeId: 'sto_1' };
    });
    registerIdempotency(server, idempotency);
    const route = (url: string, hashBody?: (body: unknown) => unknown) =>
      server.post(
        url,
        {
          config: { auth: 'public', idempotency: { route: `POST ${url}`, ...(hashBody ? { hashBody } : {}) } },
          schema: { body: Body },
        },
        async (request, reply) => {
          const scope = idempotencyOf(request);
          handled.push(scope);
          // A create as the services write it: the key claimed in the resource's transaction, with its answer unless
          // the body asks for an unfinished one (a sale still waiting for its acquirer).
          const answer = await idempotency.once(scope, async () => {
            const created = { id: `res_${handled.length}` };
            const final = request.body.n !== 409 ? created : undefined;
            await db.transaction().execute((trx) => idempotency.record(trx, scope, created.id, final));
            return created;
          });
          return reply.code(201).send(answer);
        },
      );
    route('/keyed');
    route('/normalised', (body) => ({ n: Body.parse(body).n ?? 0 }));
    server.post('/plain', async () => ({ ok: true }));
    app = server;
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database.close();
  });

  const post = (url: string, headers: Record<string, string>, body: Record<string, unknown> = { n: 1 }) =>
    app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: body });

  it('without a terminal → 401 TERMINAL_KEY_INVALID, as terminalOf answers; the handler does not run', async () => {
    const before = handled.length;
    const answer = await post('/keyed', { 'idempotency-key': 'k1' });
    expect(answer.statusCode).toBe(401);
    expect(answer.json().error.code).toBe('TERMINAL_KEY_INVALID');
    expect(handled.length).toBe(before);
  });

  it('no key, an empty one or one past 255 characters → 400 IDEMPOTENCY_KEY_REQUIRED, param Idempotency-Key', async () => {
    const before = handled.length;
    for (const key of [undefined, '', 'k'.repeat(256)]) {
      const answer = await post('/keyed', {
        'x-terminal': 'ter_1',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', param: 'Idempotency-Key' });
    }
    expect(handled.length).toBe(before);
    expect((await post('/keyed', { 'x-terminal': 'ter_1', 'idempotency-key': 'k'.repeat(255) })).statusCode).toBe(201);
  });

  it('the scope is the terminal, the key and the hash of route and body; hashBody makes bodies the same', async () => {
    handled.length = 0;
    await post('/keyed', { 'x-terminal': 'ter_1', 'idempotency-key': 'same' });
    await post('/keyed', { 'x-terminal': 'ter_1', 'idempotency-key': 'same' }, { n: 2 });
    await post('/normalised', { 'x-terminal': 'ter_1', 'idempotency-key': 'same' }, { n: 0 });
    await post('/normalised', { 'x-terminal': 'ter_2', 'idempotency-key': 'same' }, {});
    const [a, b, c, d] = handled as Array<{ terminalId: string; key: string; requestHash: string }>;
    expect(a).toMatchObject({ terminalId: 'ter_1', key: 'same' });
    expect(b?.requestHash).not.toBe(a?.requestHash);
    expect(c?.requestHash).not.toBe(a?.requestHash);
    expect(d).toMatchObject({ terminalId: 'ter_2', requestHash: c?.requestHash });
  });

  it('Idempotent-Replayed only on a replayed answer, never on a refusal or a route without the option', async () => {
    const first = await post('/keyed', { 'x-terminal': 'ter_1', 'idempotency-key': 'r' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('/keyed', { 'x-terminal': 'ter_1', 'idempotency-key': 'r' });
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    const reused = await post('/keyed', { 'x-terminal': 'ter_1', 'idempotency-key': 'r' }, { n: 2 });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    // The first request with this key left no answer: the second finds it and is refused while it runs.
    expect((await post('/keyed', { 'x-terminal': 'ter_1', 'idempotency-key': 'u' }, { n: 409 })).statusCode).toBe(201);
    const inProgress = await post('/keyed', { 'x-terminal': 'ter_1', 'idempotency-key': 'u' }, { n: 409 });
    expect(inProgress.statusCode).toBe(409);
    expect(inProgress.json().error.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    expect(inProgress.headers['idempotent-replayed']).toBeUndefined();
    const plain = await post('/plain', {});
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe.each(DIALECTS)('the three keyed creates at the edge [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let saleId: string;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    saleId = (await m.terminal.sale(3_000)).id;
  });
  afterAll(async () => t?.close());

  const creates = (): Array<[string, unknown]> => [
    ['/v1/sales', { amount: 1_000, currency: 'CNY', payment_method: CARD_OK }],
    ['/v1/refunds', { sale_id: saleId, amount: 100, reason: 'edge' }],
    ['/v1/settlements', {}],
  ];

  it('without a terminal → 401 TERMINAL_KEY_INVALID; without a usable key → 400; nothing written', async () => {
    const before = await t.checksum();
    for (const [url, body] of creates()) {
      const anonymous = await t.request('POST', url, { body, headers: { 'idempotency-key': `edge-${url}` } });
      expect(anonymous.status, url).toBe(401);
      expect(anonymous.body.error.code).toBe('TERMINAL_KEY_INVALID');
      for (const headers of [m.terminal.headers(), m.terminal.headers({ 'idempotency-key': 'k'.repeat(256) })]) {
        const answer = await t.request('POST', url, { body, headers });
        expect(answer.status, url).toBe(400);
        expect(answer.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', param: 'Idempotency-Key' });
        expect(answer.body.error.request_id).toBe(answer.headers['request-id']);
        expect(answer.headers['idempotent-replayed']).toBeUndefined();
      }
    }
    expect(await t.changedSince(before)).toEqual([]);
  });
});
