import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import type { ReceiptIdForm } from '../../src/modules/notify/transports/receipt-ids.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { CODE_MESSAGE, eventually, NotifyApp } from './support/notify-app.js';
import { FakeSmsc } from './support/smsc.js';

// Issue 10 point 9 (Kannel's msg-id-type problem): an SMSC whose receipts write the message id in decimal while
// submit_sm_resp gave it in hex (or the reverse) never had its receipts matched, so codes stayed "sent" for ever.
// SMPP_RECEIPT_ID_FORM names the receipts' form; both sides are filed under one key.
describe.each(DIALECTS)('SMPP delivery receipts with ids in another form [%s]', (dialect) => {
  let database: TestDatabase;
  const clock = new ManualClock();

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
  });
  afterAll(async () => database?.drop());

  async function deliverAndReceipt(smscForm: ReceiptIdForm, setting: ReceiptIdForm, phone: string, matches = true) {
    const smsc = new FakeSmsc({ receiptIds: smscForm });
    await smsc.start();
    const t = await NotifyApp.start(database.url, clock, { SMPP_URL: smsc.url, SMPP_RECEIPT_ID_FORM: setting });
    try {
      const id = await t.enqueue(CODE_MESSAGE(phone, 'sms', '905173'));
      expect(await t.services.delivery.deliverDue()).toMatchObject({ sent: 1 });
      const part = smsc.parts[0];
      if (!part) throw new Error('the SMSC received nothing');
      const receiptId = smsc.receiptIdOf(part.messageId);
      expect(receiptId).not.toBe(part.messageId); // the SMSC really writes the id otherwise in its receipts
      smsc.sendReceipt(part.messageId);
      // The receipt is recorded either way (under its own key when it matches nothing): wait for it, and for the
      // message's settlement, which follows the recording in the same handler.
      const db = t.services.database.db;
      const received = async () =>
        (await db.selectFrom('outbox_provider_refs').select('ref').where('state', '=', 'DELIVRD').execute()).length > 0;
      await eventually(async () => (await received()) && ((await t.row(id)).status === 'delivered' || !matches));
      return { row: await t.row(id), part, receiptId };
    } finally {
      await t.services.database.db.deleteFrom('outbox_provider_refs').execute(); // each case judges its own receipts
      await t.close();
      await smsc.stop();
    }
  }

  it('matches decimal receipt ids to hex submit_sm_resp ids with SMPP_RECEIPT_ID_FORM=decimal', async () => {
    const { row, part, receiptId } = await deliverAndReceipt('decimal', 'decimal', '13800000901');
    expect(part.messageId).toMatch(/^[0-9A-F]+$/);
    expect(part.messageId).toMatch(/[A-F]/);
    expect(receiptId).toMatch(/^\d+$/);
    expect(row.status).toBe('delivered');
  });

  it('matches hex receipt ids to decimal submit_sm_resp ids with SMPP_RECEIPT_ID_FORM=hex', async () => {
    const { row, part, receiptId } = await deliverAndReceipt('hex', 'hex', '13800000902');
    expect(part.messageId).toMatch(/^\d+$/);
    expect(receiptId).toMatch(/[A-F]/);
    expect(row.status).toBe('delivered');
  });

  it('control: without the setting the same receipts match nothing and the message stays sent', async () => {
    const { row } = await deliverAndReceipt('decimal', 'same', '13800000903', false);
    expect(row.status).toBe('sent');
  });

  it('refuses an unknown SMPP_RECEIPT_ID_FORM, naming the variable', async () => {
    await expect(NotifyApp.start(database.url, clock, { SMPP_RECEIPT_ID_FORM: 'octal' })).rejects.toThrow(
      /SMPP_RECEIPT_ID_FORM.*must be one of same, decimal, hex/,
    );
  });
});
