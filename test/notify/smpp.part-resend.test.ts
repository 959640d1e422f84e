import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import type { OutboundMessage } from '../../src/modules/notify/outbox.service.js';
import { renderMessage } from '../../src/modules/notify/templates.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { eventually, NotifyApp } from './support/notify-app.js';
import { FakeSmsc } from './support/smsc.js';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
/** Real time allowed for socket round trips on a loaded machine (a passing run takes milliseconds of it). */
const RECEIPT_WAIT_MS = 60_000;
const BIND_WAIT_MS = 60_000;
// An approval request with a long reason: three UCS-2 parts.
const REASON = '顾客反映商品包装破损，经店长现场核实后同意全额退货，并已收回原商品及赠品，请尽快审批。'.repeat(2);
const approval = (recipient: string): OutboundMessage => ({
  channel: 'sms',
  recipient,
  template: 'approval_requested',
  params: {
    amount: 128800,
    store: '南京西路店',
    terminal_name: '1号收银台',
    sale_ref: 'sal_3kJ9mQ2xV7pL0a9x8y7z',
    reason: REASON,
    expires_at: '2026-11-25T02:05:00.000Z',
  },
});

// Issue 10 point 11: when the SMSC throttled one part (0x58), the whole message was sent again and the parts it had
// already accepted were billed twice; and the concatenation reference was an 8-bit hash of the message id, so two long
// messages to one phone collided 1 time in 256. Now only the missing parts are sent again, under the same reference,
// and the reference is a per-recipient counter.
describe.each(DIALECTS)('SMS parts: resend only what was not accepted [%s]', (dialect) => {
  let database: TestDatabase;
  let smsc: FakeSmsc;
  let t: NotifyApp;
  const clock = new ManualClock();

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    smsc = new FakeSmsc();
    await smsc.start();
    t = await NotifyApp.start(database.url, clock, { SMPP_URL: smsc.url });
    await boundBeforeAnyMessage(t, smsc, clock);
  });
  afterAll(async () => {
    await t?.close();
    await smsc?.stop();
    await database?.drop();
  });
  // Each test starts from an SMSC that has received nothing and throttles nothing, whatever the one before left.
  afterEach(() => smsc.forget());

  it('sends again only the throttled part and those after it, under the same reference, each accepted once', async () => {
    const message = approval('13900007777');
    const expected = renderMessage(message.template, 'zh-CN', message.params).sms;
    const id = await t.enqueue(message);
    smsc.throttleOnce((part) => part.concat?.seq === 2);

    expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
    expect(smsc.parts.map((p) => p.concat?.seq)).toEqual([1]);
    expect(smsc.throttled.map((p) => p.concat?.seq)).toEqual([2]);
    const waiting = await t.row(id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting.last_error).toMatch(/0x58 \(throttled\)/);

    clock.advance(5 * SECOND);
    expect(await t.services.delivery.deliverDue()).toMatchObject({ claimed: 1, sent: 1 });
    // Part 1 was accepted once, on the first attempt; parts 2 and 3 on the second.
    expect(smsc.parts.map((p) => p.concat?.seq)).toEqual([1, 2, 3]);
    const reference = smsc.parts[0]?.concat?.ref;
    for (const part of smsc.parts) expect(part.concat).toMatchObject({ ref: reference, total: 3 });
    expect(smsc.messages()).toHaveLength(1);
    expect(smsc.messages()[0]?.text).toBe(expected);

    // Every accepted part is matched to its receipt, the first one's included.
    const refs = await t.services.database.db
      .selectFrom('outbox_provider_refs')
      .select('ref')
      .where('outbox_id', '=', id)
      .execute();
    expect(refs.map((r) => r.ref).sort()).toEqual(smsc.parts.map((p) => p.messageId).sort());
    for (const part of smsc.parts) smsc.sendReceipt(part.messageId);
    // Receipts come over the socket and are stored by their own handlers: a wait, not a deadline (RECEIPT_WAIT_MS).
    await eventually(async () => (await t.row(id)).status === 'delivered', RECEIPT_WAIT_MS);
  });

  it('gives consecutive long messages to one phone consecutive references; another phone counts its own', async () => {
    await t.enqueue(approval('13900008888'));
    await t.enqueue(approval('13900008888'));
    await t.enqueue(approval('13900009999'));
    await t.services.delivery.deliverDue();
    const refsOf = (phone: string) => [
      ...new Set(smsc.parts.filter((p) => p.destination === phone).map((p) => p.concat?.ref)),
    ];
    // This phone's first and second SMS (in the order they were queued; the clock stood still, so by id).
    expect(refsOf('13900008888').sort()).toEqual([0, 1]);
    expect(refsOf('13900009999')).toEqual([0]); // its own first SMS
    expect(smsc.messages()).toHaveLength(3);
  });
});

/**
 * Bind before any test's message is queued, and wait until what the bind set off is over. Under load the first bind
 * used to happen inside the first test's delivery pass: it could take longer than the transport's 5 s bind wait (the
 * pass then failed with "not bound" instead of the throttle), and its ready event wakes the queue with an UPDATE that
 * nobody awaits, which on PostgreSQL could still hold the test's row when the next pass claimed due rows with SKIP
 * LOCKED (claimed: 0). Here a message queued for later (a sentinel to a phone no test uses) is woken by that UPDATE:
 * the wake's log line says the statement is done. The sentinel is then sent and forgotten.
 */
async function boundBeforeAnyMessage(t: NotifyApp, smsc: FakeSmsc, clock: ManualClock): Promise<void> {
  const sentinel = await t.enqueue({
    channel: 'sms',
    recipient: '13900000001',
    template: 'refund_key_changed',
    params: { at: 0 },
  });
  await t.services.database.db
    .updateTable('outbox')
    .set({ next_attempt_at: clock.now() + HOUR })
    .where('id', '=', sentinel)
    .execute();
  await t.services.delivery.deliverDue(); // nothing due: it only starts the SMPP session
  await eventually(() => t.logs.some((line) => line.includes('queued messages are due now')), BIND_WAIT_MS);
  await t.drain();
  if ((await t.row(sentinel)).status !== 'sent') throw new Error('the sentinel SMS was not sent');
  smsc.forget();
}
