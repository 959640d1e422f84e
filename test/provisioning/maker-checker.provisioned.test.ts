// Issue 12 "Done when": an approval by the staff member behind the requesting operator is refused, with no test-only
// linking. Everything here is made through the API: the manager is hired, given an operator number of their own, and
// starts a refund above the approval threshold at the till; the same person may not approve it in the back office.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { TerminalClient, TestApp } from '../support/test-app.js';
import { hire, NEW_PASSWORD, provisionedMerchant, secretSentTo, signedInAdmin } from './provisioning-helpers.js';

/** Above ¥2,000: key + code + a second person's approval under the default thresholds. */
const WITH_APPROVAL = 300_000;

describe.each(DIALECTS)('maker-checker on a provisioned merchant [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    t.secrets.add('password', NEW_PASSWORD);
  });
  afterAll(async () => t?.close());

  it('the manager behind the requesting operator cannot approve; the owner can', async () => {
    const m = await provisionedMerchant(t, await signedInAdmin(t));
    const manager = await hire(t, m.owner, 'manager', [m.storeId]);
    const operator = await m.owner.post('/v1/operators', {
      store_id: m.storeId,
      staff_id: manager.id,
      operator_no: '05',
    });
    expect(operator.status, JSON.stringify(operator.body)).toBe(201);
    const password = await secretSentTo(t, manager.phone, 'operator_password', 'password');

    await m.owner.reauth();
    const refundKey = 'Marigold-Ferry-Quartz-74';
    t.secrets.add('refund key', refundKey);
    expect((await m.owner.post('/v1/refund-key', { new_key: refundKey, confirm_key: refundKey })).status).toBe(200);

    const terminal = await m.owner.post(`/v1/stores/${m.storeId}/terminals`, {});
    t.secrets.add('activation code', terminal.body.activation_code);
    const activated = await t.request('POST', '/v1/terminals/activate', {
      body: { activation_code: terminal.body.activation_code },
    });
    const key = activated.body.terminal_key as string;
    const session = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: '05', password },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(session.status).toBe(201);
    const till = new TerminalClient(t, terminal.body.id, m.storeId, key, session.body.operator_session);

    const sale = await till.sale(WITH_APPROVAL);
    const refund = await till.post('/v1/refunds', { sale_id: sale.id, amount: WITH_APPROVAL, reason: '整单退货' });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(refund.body.authorization.required).toEqual(['refund_key', 'one_time_code', 'approval']);
    const code = await secretSentTo(t, m.ownerPhone, 'refund_code', 'code');
    const authorized = await till.post(`/v1/refunds/${refund.body.id}/authorize`, { refund_key: refundKey, code });
    expect(authorized.body.status, JSON.stringify(authorized.body)).toBe('pending_approval');

    // The manager was not asked (they requested it), and may not approve or deny it.
    const asked = await t.request('GET', `/dev/outbox?to=${manager.phone}`);
    expect(asked.body.messages.map((msg: { template: string }) => msg.template)).not.toContain('approval_requested');
    await manager.client.reauth();
    const self = await manager.client.post(`/v1/approvals/${refund.body.id}/approve`);
    expect([self.status, self.body.error?.code]).toEqual([403, 'APPROVER_IS_REQUESTER']);
    const denied = await manager.client.post(`/v1/approvals/${refund.body.id}/deny`, { reason: 'x' });
    expect([denied.status, denied.body.error?.code]).toEqual([403, 'APPROVER_IS_REQUESTER']);
    expect((await till.get(`/v1/refunds/${refund.body.id}`)).body.status).toBe('pending_approval');

    const approved = await m.owner.post(`/v1/approvals/${refund.body.id}/approve`);
    expect([approved.status, approved.body.status]).toEqual([200, 'succeeded']);
    expect((await till.get(`/v1/sales/${sale.id}`)).body.refunded_amount).toBe(WITH_APPROVAL);
  });
});
