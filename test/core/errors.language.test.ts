// Issue 10, 15: an error speaks ONE language, chosen by Accept-Language (zh-CN by default, en on request), never
// "中文 / English" in one string; every error body carries the request id; 423 and 429 say when to retry in a
// Retry-After header; an idempotent replay says so (Idempotent-Replayed: true) on sales, refunds and settlements.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/http/errors.js';
import { AppError, CommonErrors, type ErrorSpec } from '../../src/lib/errors.js';
import { HashingErrors } from '../../src/lib/hashing.js';
import { pickLanguage } from '../../src/lib/i18n.js';
import { AuthErrors } from '../../src/modules/auth/auth.errors.js';
import { AuthorizationErrors } from '../../src/modules/authorization/authorization.errors.js';
import { IdempotencyErrors } from '../../src/modules/idempotency/idempotency.errors.js';
import { InvitationErrors } from '../../src/modules/invitations/invitations.errors.js';
import { NotifyErrors } from '../../src/modules/notify/notify.errors.js';
import { ProvisioningErrors } from '../../src/modules/provisioning/provisioning.errors.js';
import { RefundKeyErrors } from '../../src/modules/refund-keys/refund-keys.errors.js';
import { RefundErrors } from '../../src/modules/refunds/refunds.errors.js';
import { SalesErrors } from '../../src/modules/sales/sales.errors.js';
import { SettlementErrors } from '../../src/modules/settlements/settlements.errors.js';
import { TerminalErrors } from '../../src/modules/terminals/terminals.errors.js';
import { DIALECTS } from '../support/databases.js';
import { outcome } from '../support/outcomes.js';
import { type Answer, CARD_OK, type SeededMerchant, TestApp } from '../support/test-app.js';
import { card } from './core-helpers.js';

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
/** "中文 / English": a Chinese text followed by a slash and an English one. */
const BILINGUAL = /[\u4e00-\u9fff\uff00-\uffef][^/]* \/ [A-Za-z]|）\/ [A-Za-z]/;

const TABLES: Record<string, Record<string, ErrorSpec>> = {
  CommonErrors,
  HashingErrors,
  AuthErrors,
  AuthorizationErrors,
  IdempotencyErrors,
  InvitationErrors,
  NotifyErrors,
  ProvisioningErrors,
  RefundKeyErrors,
  RefundErrors,
  SalesErrors,
  SettlementErrors,
  TerminalErrors,
};

describe('error tables', () => {
  it('declare every message once per language: Chinese in zh, no Chinese in en', () => {
    const wrong: string[] = [];
    for (const [table, codes] of Object.entries(TABLES)) {
      for (const [code, spec] of Object.entries(codes)) {
        if (!CJK.test(spec.zh) || BILINGUAL.test(spec.zh)) wrong.push(`${table}.${code}.zh: ${spec.zh}`);
        if (CJK.test(spec.en) || spec.en.trim() === '') wrong.push(`${table}.${code}.en: ${spec.en}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('Accept-Language picks zh-CN unless English is preferred', () => {
    expect(pickLanguage(undefined)).toBe('zh-CN');
    expect(pickLanguage('en')).toBe('en');
    expect(pickLanguage('en-US,en;q=0.9')).toBe('en');
    expect(pickLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLanguage('fr-FR, en;q=0.5')).toBe('en');
    expect(pickLanguage('fr-FR')).toBe('zh-CN');
    expect(pickLanguage('en;q=0.2, zh-TW;q=0.8')).toBe('zh-CN');
    expect(pickLanguage('en;q=0, *')).toBe('zh-CN');
  });
});

describe('Retry-After on 429 from retry_after_s (the real error handler)', () => {
  it('a BUSY refusal of the hashing pool carries Retry-After and the request id', async () => {
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    app.get('/busy', async () => {
      throw AppError.from(HashingErrors, 'BUSY', { retry_after_s: 1.2 });
    });
    const answer = await app.inject({ method: 'GET', url: '/busy', headers: { 'accept-language': 'en' } });
    await app.close();
    expect(answer.statusCode).toBe(429);
    expect(answer.headers['retry-after']).toBe('2');
    const body = answer.json();
    expect(body.error).toMatchObject({ code: 'BUSY', message: HashingErrors.BUSY.en, retry_after_s: 1.2 });
    expect(body.error.request_id).toEqual(expect.any(String));
  });
});

describe.each(DIALECTS)('errors in one language, with the request id [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  const inLanguage = (language?: string): Record<string, string> => (language ? { 'accept-language': language } : {});
  const badCardSale = (language?: string) =>
    m.terminal.post(
      '/v1/sales',
      { amount: 1_000, currency: 'CNY', payment_method: card('6222020000000008') },
      { headers: inLanguage(language) },
    );
  const expectOneLanguage = (answer: Answer, lang: 'zh-CN' | 'en') => {
    const { message } = answer.body.error as { message: string };
    expect(CJK.test(message), `${lang}: ${message}`).toBe(lang === 'zh-CN');
    expect(message).not.toMatch(BILINGUAL);
    expect(answer.headers['content-language']).toBe(lang);
  };

  it('a domain error: English for en, Chinese for zh-CN and by default', async () => {
    const en = await badCardSale('en-US,en;q=0.9');
    expect(en.body.error).toMatchObject({ code: 'CARD_NUMBER_INVALID', message: SalesErrors.CARD_NUMBER_INVALID.en });
    expectOneLanguage(en, 'en');
    const zh = await badCardSale('zh-CN');
    expect(zh.body.error).toMatchObject({ code: 'CARD_NUMBER_INVALID', message: SalesErrors.CARD_NUMBER_INVALID.zh });
    expectOneLanguage(zh, 'zh-CN');
    const byDefault = await badCardSale();
    expect(byDefault.body.error.message).toBe(SalesErrors.CARD_NUMBER_INVALID.zh);
  });

  it('a validation error, its details and our own field messages follow the language too', async () => {
    const body = { amount: 'ten', currency: 'CNY', payment_method: card('12ab') };
    for (const lang of ['en', 'zh-CN'] as const) {
      const answer = await m.terminal.post('/v1/sales', body, { headers: inLanguage(lang) });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expectOneLanguage(answer, lang);
      const details = answer.body.error.details as Array<{ param: string; message: string }>;
      expect(details.map((d) => d.param).sort()).toEqual(['amount', 'payment_method.card.number']);
      expect(details).toHaveLength(2);
      for (const detail of details) {
        expect(CJK.test(detail.message), `${lang}: ${detail.message}`).toBe(lang === 'zh-CN');
        expect(detail.message).not.toMatch(BILINGUAL);
      }
      const cardNumber = details.find((d) => d.param === 'payment_method.card.number');
      expect(cardNumber?.message).toBe(lang === 'en' ? 'card number must be 12-19 digits' : '卡号应为 12-19 位数字');
    }
  });

  it('the HTTP layer (unknown route, bad JSON, no credentials) speaks the asked language', async () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const unknown = await t.request('GET', '/v1/nowhere', { headers: inLanguage(lang) });
      expect(unknown.body.error.code).toBe('ROUTE_NOT_FOUND');
      expectOneLanguage(unknown, lang);
      const noKey = await t.request('GET', '/v1/sales/sal_x', { headers: inLanguage(lang) });
      expect(noKey.status).toBe(401);
      expect(noKey.body.error.code).toBe('TERMINAL_KEY_INVALID');
      expectOneLanguage(noKey, lang);
    }
    const badJson = await t.app.server.inject({
      method: 'POST',
      url: '/v1/terminals/activate',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: '{"activation_code":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error).toMatchObject({ code: 'INVALID_JSON', message: 'Body is not valid JSON' });
  });

  it('every error body carries the request id of its response header', async () => {
    const answers = [
      await badCardSale('en'),
      await t.request('GET', '/v1/nowhere'),
      await t.request('GET', '/v1/sales/sal_x'),
      await m.terminal.get('/v1/sales/sal_nope'),
      await m.terminal.post('/v1/sales', { amount: -1 }),
    ];
    // Each the exact refusal it is: no 5xx, no other status or code.
    expect(answers.map(outcome)).toEqual([
      '400 CARD_NUMBER_INVALID',
      '404 ROUTE_NOT_FOUND',
      '401 TERMINAL_KEY_INVALID',
      '404 SALE_NOT_FOUND',
      '400 VALIDATION_FAILED',
    ]);
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.body.error.request_id).toMatch(/^req_/);
      expect(answer.body.error.request_id).toBe(answer.headers['request-id']);
    }
  });

  it('423 OPERATOR_LOCKED carries Retry-After equal to retry_after_s', async () => {
    const operatorNo = m.demo.stores[0]?.operators[1]?.operator_no ?? m.demo.stores[0]?.operators[0]?.operator_no;
    // docs/security.md "Attempt limits": 5 wrong operator passwords in a row lock that number on that terminal.
    const outcomes: string[] = [];
    let answer: Answer | undefined;
    for (let i = 0; i < 5; i++) {
      answer = await t.request('POST', '/v1/operator-sessions', {
        headers: { authorization: `Bearer ${m.terminal.key}`, 'accept-language': 'en' },
        body: { operator_no: operatorNo, password: `wrong-${i}` },
      });
      outcomes.push(outcome(answer));
    }
    expect(outcomes).toEqual([...Array(4).fill('401 OPERATOR_CREDENTIALS_INVALID'), '423 OPERATOR_LOCKED']);
    expect(answer?.status).toBe(423);
    expect(answer?.body.error.code).toBe('OPERATOR_LOCKED');
    expect(answer?.headers['retry-after']).toBe(String(answer?.body.error.retry_after_s));
    expect(Number(answer?.headers['retry-after'])).toBeGreaterThan(0);
    expectOneLanguage(answer as Answer, 'en');
  });

  it('a replayed sale, refund and settlement say Idempotent-Replayed: true; first answers do not', async () => {
    const saleBody = { amount: 2_000, currency: 'CNY', payment_method: CARD_OK };
    const sale = await m.terminal.post('/v1/sales', saleBody, { idempotencyKey: 'replayed-sale' });
    const saleAgain = await m.terminal.post('/v1/sales', saleBody, { idempotencyKey: 'replayed-sale' });
    expect(sale.status).toBe(201);
    expect(sale.headers['idempotent-replayed']).toBeUndefined();
    expect(saleAgain.status).toBe(201);
    expect(saleAgain.headers['idempotent-replayed']).toBe('true');
    expect(saleAgain.body).toEqual(sale.body);

    const refundBody = { sale_id: sale.body.id, amount: 500, reason: 'customer changed mind' };
    const refund = await m.terminal.post('/v1/refunds', refundBody, { idempotencyKey: 'replayed-refund' });
    const refundAgain = await m.terminal.post('/v1/refunds', refundBody, { idempotencyKey: 'replayed-refund' });
    expect(refund.status).toBe(201);
    expect(refund.headers['idempotent-replayed']).toBeUndefined();
    expect(refundAgain.headers['idempotent-replayed']).toBe('true');
    expect(refundAgain.body).toEqual(refund.body);

    const settlement = await m.terminal.post('/v1/settlements', {}, { idempotencyKey: 'replayed-settlement' });
    const settlementAgain = await m.terminal.post('/v1/settlements', {}, { idempotencyKey: 'replayed-settlement' });
    expect(settlement.status).toBe(201);
    expect(settlement.headers['idempotent-replayed']).toBeUndefined();
    expect(settlementAgain.headers['idempotent-replayed']).toBe('true');
    expect(settlementAgain.body).toEqual(settlement.body);
  });
});
