import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { NotifyApp } from './support/notify-app.js';
import { FakeSmsc } from './support/smsc.js';
import { SmtpSink } from './support/smtp-sink.js';

const INTERNAL_ID = /\b(opr|sto|trm|sal|ref|mch|usr)_[0-9A-Za-z]{6,}/;

// Issue 10 point 12: alerts said "操作员opr_… 终端trm_…". The callers queue ids (their params objects, as in
// refunds.service, lockouts.service and operator-sign-ins.ts); the delivery names the store, terminal and operator
// through the modules that own them, so the owner reads what they know.
describe.each(DIALECTS)('message texts name what people know [%s]', (dialect) => {
  let database: TestDatabase;
  let smsc: FakeSmsc;
  let smtp: SmtpSink;
  let t: NotifyApp;
  const clock = new ManualClock(Date.parse('2026-12-01T20:57:00.000Z')); // 12月02日 04:57 in Beijing
  const ids = { store: '', terminal: '', operator: '' };

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    smsc = new FakeSmsc();
    await smsc.start();
    smtp = new SmtpSink();
    await smtp.start();
    t = await NotifyApp.start(database.url, clock, { SMPP_URL: smsc.url, SMTP_URL: smtp.url, SMTP_SECURE: 'none' });
    const { merchants, terminals, staff } = t.services;
    const merchant = await merchants.createMerchant({ name: '好店餐饮' });
    const store = await merchants.createStore(merchant.id, { name: '陆家嘴国金中心店' });
    const terminal = await terminals.createTerminal({ merchantId: merchant.id, storeId: store.id, name: '2号收银台' });
    const cashier = await staff.createUser({ merchantId: merchant.id, role: 'cashier', login: 'zm', name: '赵敏' });
    const operator = await staff.createOperator({
      merchantId: merchant.id,
      storeId: store.id,
      operatorNo: '07',
      name: '赵敏',
      password: 'Op-07-password',
      staffId: cashier.id,
    });
    Object.assign(ids, { store: store.id, terminal: terminal.terminalId, operator: operator.id });
  });
  afterAll(async () => {
    await t?.close();
    await smsc?.stop();
    await smtp?.stop();
    await database?.drop();
  });

  async function deliver(template: string, params: Record<string, unknown>) {
    smsc.parts.length = 0;
    smtp.mails.length = 0;
    for (const [channel, recipient] of [
      ['sms', '13800006666'],
      ['email', 'owner@example.com'],
    ] as const) {
      await t.enqueue({ channel, recipient, template, params });
    }
    expect(await t.services.delivery.deliverDue()).toMatchObject({ sent: 2 });
    const sms = smsc.messages()[0]?.text ?? '';
    const mail = smtp.mails[0]?.text ?? '';
    for (const text of [sms, mail]) expect(text).not.toMatch(INTERNAL_ID);
    return { sms, mail };
  }

  it('a velocity alert names the operator (number and name), the store and the terminal', async () => {
    const { sms, mail } = await deliver('velocity_alert', {
      operator_id: ids.operator,
      store_id: ids.store,
      terminal: ids.terminal,
      count: 3,
      window_minutes: 10,
      last_amount: '¥88.00',
    });
    expect(sms).toBe(
      '【refundkey】操作员07 赵敏在10分钟内发起3笔退款（陆家嘴国金中心店终端2号收银台，最近一笔¥88.00），请核实。',
    );
    for (const line of ['门店：陆家嘴国金中心店', '终端：2号收银台', '操作员07 赵敏']) expect(mail).toContain(line);
  });

  it('a refund lockout names the store and terminal, with the time in Beijing time the Chinese way', async () => {
    const { sms } = await deliver('refund_lockout', {
      scope: 'terminal',
      terminal_id: ids.terminal,
      store_id: ids.store,
      locked_until: clock.now() + 15 * 60_000,
    });
    expect(sms).toContain('陆家嘴国金中心店终端2号收银台的退款已锁定至北京时间12月02日 05:12');
  });

  it('an operator sign-in lockout names the store, terminal and operator number', async () => {
    const { sms } = await deliver('operator_lockout', {
      scope: 'operator',
      operator_no: '07',
      terminal_id: ids.terminal,
      store_id: ids.store,
      locked_until: clock.now() + 15 * 60_000,
    });
    expect(sms).toContain('陆家嘴国金中心店终端2号收银台操作员07签到多次错误，已锁定至北京时间12月02日 05:12');
  });
});
