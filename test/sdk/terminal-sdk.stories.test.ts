import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError, type Sale, TerminalClient } from '../../src/sdk/index.js';
import { DIALECTS } from '../support/databases.js';
import { losingFetch, refusal, SdkWorld } from './support/sdk-world.js';

const OWNER_PHONE = '13800138000';
const CARD = { number: '6222020000000007', expiry: '12/30', entry_mode: 'chip' as const };
const CREDIT_CARD = { number: '4242424242424242', expiry: '12/30', entry_mode: 'contactless' as const };
const WECHAT_CODE = '134567890123456789';

/** A code of the same length that is certainly not `code`. */
function wrongCode(code: string): string {
  return [...code].map((digit, i) => (i === 0 ? String((Number(digit) + 1) % 10) : digit)).join('');
}

// Issue 14 "small restaurant" through the SDK (src/sdk), against a real server on a loopback port, codes by real SMPP.
describe.each(DIALECTS)('terminal SDK: small restaurant [%s]', (dialect) => {
  let world: SdkWorld;
  let pos: TerminalClient;
  let cashSale: Sale;
  let cardSale: Sale;

  beforeAll(async () => {
    world = await SdkWorld.start(dialect);
    pos = new TerminalClient({ baseUrl: world.baseUrl, language: 'en' });
  });
  afterAll(async () => world?.close());

  it('activates, keeps the key, and signs the operator in; a wrong password is refused with its code', async () => {
    const store = world.store(0);
    const terminal = store.terminals[0];
    const operator = store.operators[0];
    if (!terminal || !operator) throw new Error('demo store without terminal or operator');
    const notYet = await refusal(pos.sale({ amount: 100, payment_method: { type: 'cash', tendered: 100 } }));
    expect(notYet.code).toBe('TERMINAL_NOT_ACTIVATED');

    const activated = await pos.activate(terminal.activation_code);
    world.test.secrets.add('terminal key', activated.terminal_key);
    expect(activated.terminal_id).toBe(terminal.id);
    expect(await pos.isActivated()).toBe(true);
    const wrong = await refusal(pos.signIn(operator.operator_no, `${operator.password}x`));
    expect(wrong.status).toBe(401);
    expect(wrong.code).toMatch(/OPERATOR/);
    const session = await pos.signIn(operator.operator_no, operator.password);
    world.test.secrets.add('operator session', session.operator_session);
    expect(await pos.isSignedIn()).toBe(true);
  });

  it('takes a cash sale with change and a card sale', async () => {
    cashSale = await pos.sale({ amount: 30_000, payment_method: { type: 'cash', tendered: 40_000 } });
    expect(cashSale).toMatchObject({ status: 'succeeded', amount: 30_000, refundable_amount: 30_000 });
    expect(cashSale.payment_method).toEqual({ type: 'cash', tendered: 40_000, change: 10_000 });
    world.test.clock.advance(60_000);
    cardSale = await pos.sale({ amount: 12_000, payment_method: { type: 'bank_card', card: CARD } });
    expect(cardSale.status).toBe('succeeded');
    expect(JSON.stringify(cardSale)).not.toContain(CARD.number);
    expect(await pos.pending()).toEqual([]);

    const today = await pos.todaySales();
    expect(today.data.map((s) => s.id)).toEqual([cardSale.id, cashSale.id]);
    expect(today.has_more).toBe(false);
    const page = await pos.todaySales({ limit: 1 });
    expect(page).toMatchObject({ has_more: true, data: [{ id: cardSale.id }] });
    const next = await pos.todaySales({ limit: 1, starting_after: cardSale.id });
    expect(next).toMatchObject({ has_more: false, data: [{ id: cashSale.id }] });
  });

  it('a partial card refund is authorized with the refund key alone', async () => {
    const refund = await pos.refund({ sale_id: cardSale.id, amount: 5_000, reason: 'dish returned' });
    expect(refund.status).toBe('requires_authorization');
    expect(refund.authorization.required).toEqual(['refund_key']);
    const done = await pos.authorize(refund.id, { refund_key: world.demo.refund_key });
    expect(done.status).toBe('succeeded');
    expect((await pos.getSale(cardSale.id)).refundable_amount).toBe(7_000);
  });

  it('a cash refund above the key-only threshold needs the code from the SMS; a wrong code shows attempts left', async () => {
    const before = world.smsCount(OWNER_PHONE);
    const refund = await pos.refund({ sale_id: cashSale.id, amount: 25_000, reason: 'order canceled' });
    expect(refund.authorization.required).toEqual(['refund_key', 'one_time_code']);
    expect(refund.authorization.code_sent_to).toContain('138****8000');
    const code = await world.smsCode(OWNER_PHONE, before);

    const checksum = await world.test.checksum();
    const wrong = await refusal(pos.authorize(refund.id, { refund_key: world.demo.refund_key, code: wrongCode(code) }));
    expect(wrong).toMatchObject({ status: 422, code: 'CODE_INVALID' });
    expect(wrong.attemptsLeft).toBeGreaterThan(0);
    expect(wrong.message).toBe('Wrong one-time refund code');
    expect(wrong.requestId).toMatch(/^req_/);
    expect(await world.test.changedSince(checksum)).toEqual([]);
    expect((await pos.getRefund(refund.id)).authorization.attempts_left).toBe(wrong.attemptsLeft);

    const done = await pos.authorize(refund.id, { refund_key: world.demo.refund_key, code });
    expect(done.status).toBe('succeeded');
  });

  it('a refund beyond what is left is refused, and its idempotency key is dropped (nothing to resume)', async () => {
    const over = await refusal(pos.refund({ sale_id: cardSale.id, amount: 7_001, reason: 'too much' }));
    expect(over.status).toBe(422);
    expect(await pos.pending()).toEqual([]);
  });

  it('the settlement totals match the sales and refunds', async () => {
    const settlement = await pos.settle();
    expect(settlement.totals.sales).toEqual({ count: 2, amount: 42_000 });
    expect(settlement.totals.refunds).toEqual({ count: 2, amount: 30_000 });
    const cash = settlement.by_method.find((line) => line.method === 'cash');
    const card = settlement.by_method.find((line) => line.method === 'bank_card');
    expect(cash).toMatchObject({ sales: { count: 1, amount: 30_000 }, refunds: { count: 1, amount: 25_000 } });
    expect(card).toMatchObject({ sales: { count: 1, amount: 12_000 }, refunds: { count: 1, amount: 5_000 } });
    expect(await pos.pending()).toEqual([]);
    const empty = await refusal(pos.settle());
    expect(empty.code).toBe('BATCH_EMPTY');
  });
});

// Issue 14 "large mall" through the SDK: store policy, QR and credit card, approval, tender rule, daily cap, lost answer.
describe.each(DIALECTS)('terminal SDK: large mall [%s]', (dialect) => {
  let world: SdkWorld;
  let pos: TerminalClient;
  let network: ReturnType<typeof losingFetch>;
  let wechatSale: Sale;
  let cardSale: Sale;

  beforeAll(async () => {
    world = await SdkWorld.start(dialect);
    const owner = await world.staff('owner');
    const policy = await owner.post(`/v1/stores/${world.store(1).id}/refund-policy`, {
      windows_days: { bank_card: 30, qr: 180, order: 365, cash: 7 },
      thresholds: { key_only_max: 20_000, key_and_code_max: 200_000 },
      caps: { operator_daily_amount: null, operator_daily_count: null, store_daily_amount: null, store_daily_count: 2 },
      original_tender_only: true,
      cash_refund_cap: 50_000,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    network = losingFetch((url) => url.endsWith('/v1/sales'));
    pos = new TerminalClient({ baseUrl: world.baseUrl, fetch: network.fetch });
    const store = world.store(1);
    const activated = await pos.activate(store.terminals[0]?.activation_code ?? '');
    world.test.secrets.add('terminal key', activated.terminal_key);
    const operator = store.operators[0];
    if (!operator) throw new Error('no operator');
    world.test.secrets.add(
      'operator session',
      (await pos.signIn(operator.operator_no, operator.password)).operator_session,
    );
  });
  afterAll(async () => world?.close());

  it('takes a WeChat Pay sale and a credit-card sale', async () => {
    wechatSale = await pos.sale({
      amount: 300_000,
      payment_method: { type: 'qr', wallet: 'wechat', auth_code: WECHAT_CODE },
    });
    expect(wechatSale).toMatchObject({ status: 'succeeded', payment_method: { type: 'qr', wallet: 'wechat' } });
    cardSale = await pos.sale({ amount: 88_800, payment_method: { type: 'bank_card', card: CREDIT_CARD } });
    expect(cardSale).toMatchObject({ status: 'succeeded', payment_method: { card: { funding: 'credit' } } });
  });

  it('a refund above the approval threshold waits in pending_approval until a manager approves it', async () => {
    const before = world.smsCount(OWNER_PHONE);
    const refund = await pos.refund({ sale_id: wechatSale.id, amount: 250_000, reason: '顾客退货' });
    expect(refund.authorization.required).toEqual(['refund_key', 'one_time_code', 'approval']);
    const code = await world.smsCode(OWNER_PHONE, before);
    const waiting = await pos.authorize(refund.id, { refund_key: world.demo.refund_key, code });
    expect(waiting.status).toBe('pending_approval');
    expect((await pos.waitForApproval(refund.id, { intervalMs: 100, timeoutMs: 500 })).status).toBe('pending_approval');

    const manager = await world.staff('manager');
    const approving = pos.waitForApproval(refund.id, { intervalMs: 50, timeoutMs: 20_000 });
    const approved = await manager.post(`/v1/approvals/${refund.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await approving).status).toBe('succeeded');
  });

  it('a cash refund of the card sale is refused by the original-tender rule, and nothing changes', async () => {
    const checksum = await world.test.checksum();
    const refused = await refusal(
      pos.refund({ sale_id: cardSale.id, amount: 10_000, reason: 'wants cash', refund_to: 'cash' }),
    );
    expect(refused).toMatchObject({ status: 422, code: 'REFUND_TENDER_NOT_ALLOWED' });
    expect(refused.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await world.test.changedSince(checksum)).toEqual([]);
    expect(await pos.pending()).toEqual([]);
  });

  it("the store's daily cap refuses the next refund, and nothing changes", async () => {
    const second = await pos.refund({ sale_id: cardSale.id, amount: 10_000, reason: 'size' });
    expect(second.status).toBe('requires_authorization');
    const checksum = await world.test.checksum();
    const refused = await refusal(pos.refund({ sale_id: cardSale.id, amount: 1_000, reason: 'color' }));
    expect(refused).toMatchObject({ status: 422, code: 'STORE_DAILY_COUNT_EXCEEDED' });
    expect(await world.test.changedSince(checksum)).toEqual([]);
  });

  it('the network drops during a sale; resume() sends it again with the same key and the sale exists once', async () => {
    network.lose(1);
    const failed = await pos
      .sale({ amount: 4_321, payment_method: { type: 'bank_card', card: CREDIT_CARD } })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(NetworkError);
    const operation = (failed as NetworkError).operation;
    expect(operation?.kind).toBe('sale');
    const pending = await pos.pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]?.idempotency_key).toBe(operation?.idempotency_key);
    // The server took the sale; only the answer was lost.
    expect(await world.salesCount(world.store(1).terminals[0]?.id ?? '', 4_321)).toBe(1);

    const [resumed] = await pos.resume();
    expect(resumed).toMatchObject({ object: 'sale', status: 'succeeded', amount: 4_321 });
    expect(await world.salesCount(world.store(1).terminals[0]?.id ?? '', 4_321)).toBe(1);
    expect(await pos.pending()).toEqual([]);
    const today = await pos.todaySales();
    expect(today.data.filter((s) => s.amount === 4_321).map((s) => s.id)).toEqual([(resumed as Sale).id]);
  });
});
