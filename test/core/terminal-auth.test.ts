import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/lib/clock.js';
import { DIALECTS } from '../support/databases.js';
import { seededRandom } from '../support/seeded-random.js';
import { CARD_OK, type SeededMerchant, TestApp } from '../support/test-app.js';
import { signInAgain } from './core-helpers.js';

// Terminal API authentication: bearer terminal key, then an operator session (docs/api.md "Terminal API").
describe.each(DIALECTS)('terminal auth [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let saleId: string;
  let refundId: string;
  // A fresh Idempotency-Key per request, numbered rather than random: the same requests on every run.
  let keySeq = 0;
  beforeAll(async () => {
    // Seeded, so that the two stores' operator passwords are known to differ (the cross-store sign-in below).
    t = await TestApp.start(dialect, { random: seededRandom(7) });
    m = await t.seedMerchant();
    saleId = (await m.terminal.sale(5_000)).id;
    refundId = (await m.terminal.post('/v1/refunds', { sale_id: saleId, amount: 100, reason: 'x' })).body.id;
  });
  afterAll(async () => t?.close());

  const saleBody = { amount: 1_000, currency: 'CNY', payment_method: CARD_OK };
  const routes = (): Array<['GET' | 'POST', string, unknown]> => [
    ['POST', '/v1/sales', saleBody],
    ['GET', `/v1/sales/${saleId}`, undefined],
    ['POST', '/v1/refunds', { sale_id: saleId, amount: 100, reason: 'x' }],
    ['GET', `/v1/refunds/${refundId}`, undefined],
    ['POST', `/v1/refunds/${refundId}/authorize`, { refund_key: 'whatever-key' }],
    ['POST', `/v1/refunds/${refundId}/cancel`, undefined],
    ['POST', '/v1/settlements', undefined],
    ['POST', '/v1/operator-sessions', { operator_no: '01', password: 'x' }],
  ];

  it.each([
    ['no Authorization header', {}],
    ['a wrong terminal key', { authorization: 'Bearer tk_this-is-not-a-key' }],
    ['a Basic scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['Bearer without a key', { authorization: 'Bearer ' }],
  ])('%s → 401 TERMINAL_KEY_INVALID on every terminal route, nothing written', async (_name, auth) => {
    for (const [method, url, body] of routes()) {
      const before = await t.checksum();
      const answer = await t.request(method, url, {
        body,
        headers: { ...auth, 'x-operator-session': m.terminal.session, 'idempotency-key': `auth-${++keySeq}` },
      });
      expect(answer.status, `${method} ${url}`).toBe(401);
      expect(answer.body.error.code).toBe('TERMINAL_KEY_INVALID');
      expect(await t.changedSince(before)).toEqual([]);
    }
  });

  it('operator routes without an operator session → 401 OPERATOR_SESSION_REQUIRED; reads need only the terminal', async () => {
    const headers = { authorization: `Bearer ${m.terminal.key}`, 'idempotency-key': 'no-session-1' };
    for (const [method, url, body] of routes()) {
      const before = await t.checksum();
      const answer = await t.request(method, url, { body, headers });
      if (method === 'GET') expect(answer.status, url).toBe(200);
      else if (url === '/v1/operator-sessions') {
        expect(answer.status).toBe(401);
        expect(answer.body.error.code).toBe('OPERATOR_CREDENTIALS_INVALID');
      } else {
        expect(answer.status, `${method} ${url}`).toBe(401);
        expect(answer.body.error.code).toBe('OPERATOR_SESSION_REQUIRED');
      }
      // A read changes nothing either; a refusal certainly not.
      expect(await t.changedSince(before), `${method} ${url}`).toEqual([]);
    }
  });

  it('an operator session of another terminal, or a made-up one → 401', async () => {
    const other = m.terminals[1];
    if (!other) throw new Error('two terminals');
    const beforeCrossed = await t.checksum();
    const crossed = await t.request('POST', '/v1/sales', {
      body: saleBody,
      headers: {
        authorization: `Bearer ${m.terminal.key}`,
        'x-operator-session': other.session,
        'idempotency-key': 'crossed-1',
      },
    });
    expect(crossed.status).toBe(401);
    expect(crossed.body.error.code).toBe('OPERATOR_SESSION_REQUIRED');
    expect(await t.changedSince(beforeCrossed)).toEqual([]);
    const beforeMadeUp = await t.checksum();
    const madeUp = await m.terminal.post('/v1/sales', saleBody, { headers: { 'x-operator-session': 'os_made-up' } });
    expect(madeUp.status).toBe(401);
    expect(madeUp.body.error.code).toBe('OPERATOR_SESSION_REQUIRED');
    expect(await t.changedSince(beforeMadeUp)).toEqual([]);
  });

  // Terminal key and operator session are resolved by one joined query: each refusal must still hold on its own.
  it('a disabled operator’s session, or a disabled terminal’s key, is refused at once', async () => {
    const pos = m.terminals[1];
    if (!pos) throw new Error('two terminals');
    const operatorId = (
      await t.db
        .selectFrom('operator_sessions')
        .select('operator_id')
        .where('terminal_id', '=', pos.id)
        .executeTakeFirstOrThrow()
    ).operator_id;
    try {
      await t.db.updateTable('operators').set({ status: 'disabled' }).where('id', '=', operatorId).execute();
      const beforeDisabledOperator = await t.checksum();
      const disabledOperator = await pos.post('/v1/sales', saleBody);
      expect(disabledOperator.status).toBe(401);
      expect(disabledOperator.body.error.code).toBe('OPERATOR_SESSION_REQUIRED');
      expect(await t.changedSince(beforeDisabledOperator)).toEqual([]);
      await t.db.updateTable('operators').set({ status: 'active' }).where('id', '=', operatorId).execute();
      expect((await pos.post('/v1/sales', saleBody)).status).toBe(201);
      await t.db.updateTable('terminals').set({ status: 'disabled' }).where('id', '=', pos.id).execute();
      const beforeDisabledTerminal = await t.checksum();
      const disabledTerminal = await pos.post('/v1/sales', saleBody);
      expect(disabledTerminal.status).toBe(401);
      expect(disabledTerminal.body.error.code).toBe('TERMINAL_KEY_INVALID');
      expect(await t.changedSince(beforeDisabledTerminal)).toEqual([]);
    } finally {
      await t.db.updateTable('operators').set({ status: 'active' }).where('id', '=', operatorId).execute();
      await t.db.updateTable('terminals').set({ status: 'active' }).where('id', '=', pos.id).execute();
    }
  });

  it('operator sign-in: wrong password or another store’s operator → 401 OPERATOR_CREDENTIALS_INVALID', async () => {
    const store = m.demo.stores[0];
    const otherStore = m.demo.stores[1];
    if (!store || !otherStore) throw new Error('two stores');
    const headers = { authorization: `Bearer ${m.terminal.key}` };
    const beforeWrong = await t.checksum();
    const wrong = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: '01', password: 'wrong-password' },
      headers,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('OPERATOR_CREDENTIALS_INVALID');
    expect(await t.changedSince(beforeWrong)).toEqual([]);
    const beforeUnknown = await t.checksum();
    const unknown = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: '77', password: 'whatever' },
      headers,
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('OPERATOR_CREDENTIALS_INVALID');
    expect(await t.changedSince(beforeUnknown)).toEqual([]);
    // Store 2's operator 01 has its own password; it does not open a session on a store-1 terminal.
    const foreign = otherStore.operators[0];
    const own = store.operators[0];
    if (!foreign || !own) throw new Error('operators');
    expect(foreign.password).not.toBe(own.password);
    const beforeCrossStore = await t.checksum();
    const crossStore = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: foreign.operator_no, password: foreign.password },
      headers,
    });
    expect(crossStore.status).toBe(401);
    expect(crossStore.body.error.code).toBe('OPERATOR_CREDENTIALS_INVALID');
    expect(await t.changedSince(beforeCrossStore)).toEqual([]);
    const ok = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: own.operator_no, password: own.password },
      headers,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.operator_session).toMatch(/\S{20,}/);
  });

  it('an operator session ends after 12 hours', async () => {
    const fresh = await signInAgain(t, m, m.terminal);
    t.clock.advance(12 * HOUR - 1);
    expect((await fresh.post('/v1/sales', saleBody)).status).toBe(201);
    t.clock.advance(1);
    const beforeLate = await t.checksum();
    const late = await fresh.post('/v1/sales', saleBody);
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('OPERATOR_SESSION_REQUIRED');
    expect(await t.changedSince(beforeLate)).toEqual([]);
  });

  it('an activation code works once, and not after 7 days', async () => {
    const store = m.demo.stores[0];
    if (!store) throw new Error('store');
    const used = store.terminals[0]?.activation_code;
    const beforeAgain = await t.checksum();
    const again = await t.request('POST', '/v1/terminals/activate', { body: { activation_code: used } });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('ACTIVATION_CODE_INVALID');
    expect(await t.changedSince(beforeAgain)).toEqual([]);

    const fresh = await t.services.terminals.createTerminal({
      merchantId: m.demo.merchant_id,
      storeId: store.id,
      name: 'POS-9',
    });
    const stale = await t.services.terminals.createTerminal({
      merchantId: m.demo.merchant_id,
      storeId: store.id,
      name: 'POS-10',
    });
    t.clock.advance(7 * DAY - 1);
    const ok = await t.request('POST', '/v1/terminals/activate', {
      body: { activation_code: fresh.activationCode.toLowerCase() },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ terminal_id: fresh.terminalId });
    t.clock.advance(1);
    const beforeExpired = await t.checksum();
    const expired = await t.request('POST', '/v1/terminals/activate', {
      body: { activation_code: stale.activationCode },
    });
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('ACTIVATION_CODE_INVALID');
    expect(await t.changedSince(beforeExpired)).toEqual([]);
    // The new key authenticates; the stale terminal has none.
    const read = await t.request('GET', `/v1/sales/${saleId}`, {
      headers: { authorization: `Bearer ${ok.body.terminal_key}` },
    });
    expect(read.status).toBe(200);
  });

  it('5 concurrent activations with one code → exactly one terminal key', async () => {
    const store = m.demo.stores[1];
    if (!store) throw new Error('store');
    const fresh = await t.services.terminals.createTerminal({
      merchantId: m.demo.merchant_id,
      storeId: store.id,
      name: 'POS-11',
    });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.request('POST', '/v1/terminals/activate', { body: { activation_code: fresh.activationCode } }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400 && a.body.error.code === 'ACTIVATION_CODE_INVALID')).toHaveLength(4);
  });
});
