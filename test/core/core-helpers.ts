import { type Answer, type SeededMerchant, TerminalClient, type TestApp } from '../support/test-app.js';

/** Test cards: well-known Luhn-valid numbers per brand, and the sandbox's documented outcomes (README). */
export const CARDS = {
  unionpayDebit: '6222020000000007',
  unionpayCredit: '6225880000000001',
  visa: '4242424242424242',
  mastercard: '5555555555554444',
  jcb: '3530111333300000',
  amex: '378282246310005',
  insufficientVisa: '4000000000009995',
  insufficientUnionpay: '6222020000000098',
  doNotHonor: '4000000000000002',
  expiredCard: '4000000000000069',
  timeout: '6222020000000080',
} as const;

export function card(number: string, expiry = '12/30', entry_mode = 'chip') {
  return { type: 'bank_card', card: { number, expiry, entry_mode } };
}

export function qr(wallet: 'wechat' | 'alipay' | 'unionpay', auth_code: string) {
  return { type: 'qr', wallet, auth_code };
}

/** Valid payment codes per wallet; the last four digits pick the sandbox outcome. */
export const QR_CODES = {
  wechat: (suffix = '1234') => `13456789012345${suffix}`,
  alipay: (suffix = '1234') => `281234567890${suffix}`,
  unionpay: (suffix = '1234') => `621234567890123${suffix}`,
};

/** Start a refund (or void) and authorize it with the merchant's refund key; both answers. */
export async function refundWithKey(
  m: SeededMerchant,
  terminal: TerminalClient,
  saleId: string,
  amount: number,
  type: 'refund' | 'void' = 'refund',
): Promise<{ created: Answer; authorized: Answer | undefined }> {
  const created = await terminal.post('/v1/refunds', { sale_id: saleId, amount, reason: '顾客退货 test', type });
  if (created.status !== 201) return { created, authorized: undefined };
  const authorized = await terminal.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: m.demo.refund_key });
  return { created, authorized };
}

/** Rows the sandbox acquirer journaled for one reference (a sale or refund id): a second charge would show here. */
export async function sandboxOps(t: TestApp, reference: string): Promise<number> {
  const rows = await t.db
    .selectFrom('acquirer_sandbox_ops')
    .select('reference')
    .where('reference', '=', reference)
    .execute();
  return rows.length;
}

/** The stored sales row, read straight from the database. */
export async function saleRow(t: TestApp, saleId: string) {
  return t.db.selectFrom('sales').selectAll().where('id', '=', saleId).executeTakeFirstOrThrow();
}

/** Sign the store's first operator in again: operator sessions last 12 h, so tests that move the clock further need one. */
export async function signInAgain(t: TestApp, m: SeededMerchant, terminal: TerminalClient): Promise<TerminalClient> {
  const operator = m.demo.stores.find((s) => s.id === terminal.storeId)?.operators[0];
  if (!operator) throw new Error('no operator for this store');
  const session = await t.request('POST', '/v1/operator-sessions', {
    body: { operator_no: operator.operator_no, password: operator.password },
    headers: { authorization: `Bearer ${terminal.key}` },
  });
  if (session.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(session.body)}`);
  return new TerminalClient(t, terminal.id, terminal.storeId, terminal.key, session.body.operator_session as string);
}
