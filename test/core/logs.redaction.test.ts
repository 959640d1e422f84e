import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { DIALECTS } from '../support/databases.js';
import { type Answer, type SeededMerchant, TestApp } from '../support/test-app.js';
import { CARDS, card, QR_CODES, qr } from './core-helpers.js';

// docs/security.md "Secrets at rest" → Logs: never a password, refund key, code, token, session id or card number (PCI DSS 3/10);
// issue 2 item 10: one line per request with a request id.
describe.each(DIALECTS)('log redaction and request lines [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  const answers: Answer[] = [];
  let firstLine = 0;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    firstLine = t.logs.length;
    const track = async (p: Promise<Answer>) => {
      const answer = await p;
      answers.push(answer);
      return answer;
    };
    const pos = m.terminal;
    const sales: string[] = [];
    for (const number of [
      CARDS.unionpayDebit,
      CARDS.visa,
      CARDS.mastercard,
      CARDS.amex,
      CARDS.doNotHonor,
      CARDS.timeout,
    ]) {
      const answer = await track(
        pos.post('/v1/sales', { amount: 5_000, currency: 'CNY', payment_method: card(number) }),
      );
      sales.push(answer.body.id);
    }
    await track(
      pos.post('/v1/sales', { amount: 5_000, currency: 'CNY', payment_method: qr('alipay', QR_CODES.alipay('7777')) }),
    );
    // Refused requests that carry a card number: Luhn failure, an unknown field, broken JSON.
    await track(pos.post('/v1/sales', { amount: 5_000, currency: 'CNY', payment_method: card('4242424242424241') }));
    await track(
      pos.post('/v1/sales', { amount: 5_000, currency: 'CNY', payment_method: card(CARDS.jcb), pan: CARDS.jcb }),
    );
    await track(pos.post('/v1/sales', `{"amount":5000,"payment_method":{"card":{"number":"${CARDS.unionpayCredit}"`));
    // Refunds with a wrong and the right refund key.
    const refund = await track(pos.post('/v1/refunds', { sale_id: sales[0], amount: 1_000, reason: 'x' }));
    await track(pos.post(`/v1/refunds/${refund.body.id}/authorize`, { refund_key: 'Wrong-Refund-Key-9' }));
    await track(pos.post(`/v1/refunds/${refund.body.id}/authorize`, { refund_key: m.demo.refund_key }));
    // Sign-in with a wrong and a right operator password; a wrong terminal key; an unknown route; a pending sale read.
    const operator = m.demo.stores[0]?.operators[0];
    const headers = { authorization: `Bearer ${pos.key}` };
    await track(
      t.request('POST', '/v1/operator-sessions', {
        body: { operator_no: '01', password: 'Wrong-Operator-Pw' },
        headers,
      }),
    );
    await track(
      t.request('POST', '/v1/operator-sessions', {
        body: { operator_no: operator?.operator_no, password: operator?.password },
        headers,
      }),
    );
    await track(t.request('GET', `/v1/sales/${sales[0]}`, { headers: { authorization: 'Bearer tk_guessed-key-123' } }));
    await track(t.request('GET', '/v1/nothing-here?token=abc'));
    await track(pos.get(`/v1/sales/${sales[5]}`));
    // A client cannot choose its request id (it would let one forge or merge log lines).
    await track(
      t.request('GET', `/v1/sales/${sales[0]}`, {
        headers: { ...pos.headers(), 'request-id': 'req_forged', 'x-request-id': 'req_forged' },
      }),
    );
  });
  afterAll(async () => t?.close());

  it('no card number, refund key, password, terminal key, session or activation code appears in any log line', () => {
    expect(t.logs.length).toBeGreaterThan(firstLine);
    const all = t.logs.join('\n');
    // The capture works: the timeout warning names its sale.
    expect(all).toMatch(/acquirer timeout/);
    const secrets = [
      ...Object.values(CARDS),
      '4242424242424241',
      QR_CODES.alipay('7777'),
      m.demo.refund_key,
      'Wrong-Refund-Key-9',
      'Wrong-Operator-Pw',
      'tk_guessed-key-123',
      m.demo.owner.password,
      m.demo.manager.password,
      ...m.demo.stores.flatMap((s) => [
        ...s.operators.map((o) => o.password),
        ...s.terminals.map((x) => x.activation_code),
      ]),
      ...m.terminals.flatMap((x) => [x.key, x.session]),
    ];
    for (const secret of secrets) expect(all, `a log line holds ${secret.slice(0, 4)}…`).not.toContain(secret);
  });

  it('every request wrote exactly one request line, carrying its request id', () => {
    const lines = t.logs
      .slice(firstLine)
      .map((line) => JSON.parse(line) as { msg?: string; reqId?: string; status?: number });
    const requestLines = lines.filter((line) => line.msg === 'request');
    expect(requestLines).toHaveLength(answers.length);
    for (const answer of answers) {
      const id = answer.headers['request-id'];
      expect(id).toMatch(/^req_/);
      expect(id).not.toBe('req_forged');
      const mine = requestLines.filter((line) => line.reqId === id);
      expect(mine).toHaveLength(1);
      expect(mine[0]?.status).toBe(answer.status);
    }
  });

  it('request lines name the path without its query string', () => {
    const unknown = t.logs
      .map((l) => JSON.parse(l) as { msg?: string; path?: string })
      .find((l) => l.msg === 'request' && l.path?.startsWith('/v1/nothing'));
    expect(unknown?.path).toBe('/v1/nothing-here');
  });
});

describe('the product logger', () => {
  it('redacts secret fields at any depth and masks card numbers in free text', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ destination: sink });
    log.info(
      {
        password: 'Operator-Pw-1',
        refund_key: 'Refund-Key-1',
        body: { code: '123456', card: { number: CARDS.visa } },
        nested: { deeper: { token: 'tok-secret-1', terminal_key: 'tk_secret-1' } },
      },
      `customer paid with ${CARDS.unionpayDebit} and ${CARDS.amex}`,
    );
    const line = lines.join('');
    for (const secret of [
      'Operator-Pw-1',
      'Refund-Key-1',
      '123456',
      CARDS.visa,
      'tok-secret-1',
      'tk_secret-1',
      CARDS.unionpayDebit,
      CARDS.amex,
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('622202******0007');
    expect(line).toContain('[REDACTED]');
  });
});
