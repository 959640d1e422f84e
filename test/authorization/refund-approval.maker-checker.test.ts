// docs/security.md "Refunds and money": an approval is given by someone other than the requester, checked on the server;
// one pending approval per refund (PRODUCT.md "Second-person approval (maker-checker)"). Every operator number belongs to
// one staff member (PRODUCT.md), so "someone other than the requester" compares people: operators.staff_id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { outcome, tally } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TerminalClient, TestApp } from '../support/test-app.js';
import { codeOf, MANAGER_PHONE, messagesTo, startRefund, WITH_APPROVAL } from './authz-helpers.js';

const PASSWORD = 'Lantern-Quokka-Mosaic-47';
let seq = 0;

describe.each(DIALECTS)('refund approval maker-checker [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let manager: StaffClient;
  let secondManager: StaffClient;
  let owner: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    const login = `manager2-${++seq}-${process.pid}@test.refundkey.test`;
    await t.services.staff.createUser({
      merchantId: m.demo.merchant_id,
      role: 'manager',
      login,
      password: PASSWORD,
      name: '王主管',
      email: login,
    });
    secondManager = await StaffClient.signIn(t, login, PASSWORD);
    manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
  });
  afterAll(async () => t?.close());

  /** Another operator number of the first store signed in on the first terminal. */
  async function operatorOnSameTerminal(operatorNo: string): Promise<TerminalClient> {
    const operator = m.demo.stores[0]?.operators.find((o) => o.operator_no === operatorNo);
    if (!operator) throw new Error(`no demo operator ${operatorNo}`);
    const session = await t.request('POST', '/v1/operator-sessions', {
      body: { operator_no: operator.operator_no, password: operator.password },
      headers: { authorization: `Bearer ${m.terminal.key}` },
    });
    expect(session.status).toBe(201);
    return new TerminalClient(t, m.terminal.id, m.terminal.storeId, m.terminal.key, session.body.operator_session);
  }

  /** A refund above ¥2,000 with key and code entered: it now waits for a second person. */
  async function pendingApproval(terminal: TerminalClient = m.terminal) {
    const refund = await startRefund(terminal, WITH_APPROVAL);
    const answer = await terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(t, refund.id),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('pending_approval');
    expect(answer.body.authorization.satisfied).toEqual(['refund_key', 'one_time_code']);
    return refund;
  }

  it('after key and code the refund waits, the approvers are asked, and owners and managers see it', async () => {
    const refund = await pendingApproval();
    const asked = (await messagesTo(t, MANAGER_PHONE, 'approval_requested')).filter(
      (r) => t.services.outbox.parameters(r).refund_id === refund.id,
    );
    expect(asked).toHaveLength(1);
    for (const who of [owner, manager]) {
      const list = await who.get('/v1/approvals');
      expect(list.status).toBe(200);
      expect(list.body.data.map((a: { refund_id: string }) => a.refund_id)).toContain(refund.id);
    }
    const sale = await m.terminal.get(`/v1/sales/${refund.sale_id}`);
    expect(sale.body.refunded_amount).toBe(0);
    expect(sale.body.refundable_amount).toBe(0);
  });

  it('the staff member behind the requesting operator cannot approve; a second manager’s approval completes it', async () => {
    // The demo's operator 02 belongs to the manager, who also works a till: no linking made by the test.
    const managersNumber = await operatorOnSameTerminal('02');
    const refund = await pendingApproval(managersNumber);
    const staffOfOperator = await t.db
      .selectFrom('refunds')
      .innerJoin('operators', 'operators.id', 'refunds.operator_id')
      .select('operators.staff_id')
      .where('refunds.id', '=', refund.id)
      .executeTakeFirstOrThrow();
    expect(staffOfOperator.staff_id).toBe(manager.user.id);
    await manager.reauth();
    const before = await t.checksum();
    const self = await manager.post(`/v1/approvals/${refund.id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('APPROVER_IS_REQUESTER');
    expect((await manager.post(`/v1/approvals/${refund.id}/deny`, { reason: '自己拒绝' })).body.error.code).toBe(
      'APPROVER_IS_REQUESTER',
    );
    // Both refusals changed nothing (the audit log records them, below).
    expect(await t.changedSince(before)).toEqual([]);
    expect((await m.terminal.get(`/v1/refunds/${refund.id}`)).body.status).toBe('pending_approval');
    const refused = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'outcome'])
      .where('event', '=', 'refund.approval_refused')
      .where('object_id', '=', refund.id)
      .execute();
    expect(refused).toEqual([
      { actor_id: manager.user.id, outcome: 'failure' },
      { actor_id: manager.user.id, outcome: 'failure' },
    ]);

    await secondManager.reauth();
    const approved = await secondManager.post(`/v1/approvals/${refund.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('succeeded');
    expect(approved.body.authorization.satisfied).toEqual(['refund_key', 'one_time_code', 'approval']);
    const sale = await m.terminal.get(`/v1/sales/${refund.sale_id}`);
    expect(sale.body.refunded_amount).toBe(WITH_APPROVAL);
    expect((await owner.get('/v1/approvals')).body.data.map((a: { refund_id: string }) => a.refund_id)).not.toContain(
      refund.id,
    );

    // The manager is not even asked for the next refund of their own number, and is asked for another cashier's.
    const next = await pendingApproval(managersNumber);
    const cashiers = await pendingApproval();
    const askedFor = async (id: string) =>
      (await messagesTo(t, MANAGER_PHONE, 'approval_requested')).filter(
        (r) => t.services.outbox.parameters(r).refund_id === id,
      );
    expect(await askedFor(next.id)).toHaveLength(0);
    expect(await askedFor(cashiers.id)).toHaveLength(1);
    // Another operator's refund: the same manager may approve it.
    await manager.reauth();
    expect((await manager.post(`/v1/approvals/${cashiers.id}/approve`)).status).toBe(200);
  });

  it('a denial cancels the refund and releases its reservation', async () => {
    const refund = await pendingApproval();
    await owner.reauth();
    const pending = await t.checksum();
    const noReason = await owner.post(`/v1/approvals/${refund.id}/deny`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('VALIDATION_FAILED');
    expect(await t.changedSince(pending)).toEqual([]);
    const denied = await owner.post(`/v1/approvals/${refund.id}/deny`, { reason: '金额异常 / unusual amount' });
    expect(denied.status).toBe(200);
    expect(denied.body.status).toBe('canceled');
    const sale = await m.terminal.get(`/v1/sales/${refund.sale_id}`);
    expect(sale.body.refundable_amount).toBe(WITH_APPROVAL);
    await secondManager.reauth();
    const decided = await t.checksum();
    const late = await secondManager.post(`/v1/approvals/${refund.id}/approve`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('APPROVAL_NOT_PENDING');
    expect((await m.terminal.get(`/v1/refunds/${refund.id}`)).body.status).toBe('canceled');
    expect(await t.changedSince(decided)).toEqual([]);
  });

  it('one decision per refund: concurrent approvals complete it once', async () => {
    const refund = await pendingApproval();
    await owner.reauth();
    await secondManager.reauth();
    const answers = await Promise.all([
      owner.post(`/v1/approvals/${refund.id}/approve`),
      secondManager.post(`/v1/approvals/${refund.id}/approve`),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(tally(answers)).toEqual({ '200': 1, '409 APPROVAL_NOT_PENDING': 1 });
    expect((await m.terminal.get(`/v1/sales/${refund.sale_id}`)).body.refunded_amount).toBe(WITH_APPROVAL);
  });

  it('an approval racing a cancel at the terminal: exactly one wins and nothing fails', async () => {
    for (const decision of ['approve', 'deny'] as const) {
      const refund = await pendingApproval();
      await owner.reauth();
      const [decided, canceled] = await Promise.all([
        owner.post(`/v1/approvals/${refund.id}/${decision}`, decision === 'deny' ? { reason: 'race' } : {}),
        m.terminal.post(`/v1/refunds/${refund.id}/cancel`),
      ]);
      expect([decided.status, canceled.status].sort()).toEqual([200, 409]);
      // Whichever wins, the loser is told exactly why.
      expect([outcome(decided), outcome(canceled)]).toSatisfy(
        ([d, c]: string[]) =>
          (d === '200' && c === '409 REFUND_NOT_CANCELABLE') || (d === '409 APPROVAL_NOT_PENDING' && c === '200'),
      );
      const sale = (await m.terminal.get(`/v1/sales/${refund.sale_id}`)).body;
      expect(sale.refunded_amount + sale.refundable_amount).toBe(WITH_APPROVAL);
    }
  });

  it('needs re-authentication; other merchants and cashiers get nothing', async () => {
    const refund = await pendingApproval();
    t.clock.advance(6 * 60_000);
    const stale = await t.checksum();
    const unconfirmed = await secondManager.post(`/v1/approvals/${refund.id}/approve`);
    expect(unconfirmed.status).toBe(401);
    expect(unconfirmed.body.error.code).toBe('REAUTH_REQUIRED');
    expect(await t.changedSince(stale)).toEqual([]);
    const other = await t.seedMerchant();
    const stranger = await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
    await stranger.reauth();
    const before = await t.checksum();
    const foreign = await stranger.post(`/v1/approvals/${refund.id}/approve`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('APPROVAL_NOT_FOUND');
    expect((await stranger.get('/v1/approvals')).body.data).toEqual([]);
    expect(await t.changedSince(before)).toEqual([]);
    const login = `cashier-${++seq}-${process.pid}@test.refundkey.test`;
    await t.services.staff.createUser({
      merchantId: m.demo.merchant_id,
      role: 'cashier',
      login,
      password: PASSWORD,
      name: '收银',
      email: login,
    });
    const cashier = await StaffClient.signIn(t, login, PASSWORD);
    const signedIn = await t.checksum();
    const list = await cashier.get('/v1/approvals');
    expect(list.status).toBe(403);
    expect(list.body.error.code).toBe('FORBIDDEN');
    const approve = await cashier.post(`/v1/approvals/${refund.id}/approve`);
    expect(approve.status).toBe(403);
    expect(approve.body.error.code).toBe('FORBIDDEN');
    expect(await t.changedSince(signedIn)).toEqual([]);
    expect((await m.terminal.get(`/v1/refunds/${refund.id}`)).body.status).toBe('pending_approval');
  });

  it('a waiting approval expires with its refund after 15 minutes', async () => {
    const refund = await pendingApproval();
    t.clock.advance(15 * 60_000);
    const expired = await t.services.refundLedger.expireDue();
    expect(expired.map((r) => r.id)).toContain(refund.id);
    const fresh = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const expiredState = await t.checksum();
    const late = await fresh.post(`/v1/approvals/${refund.id}/approve`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('APPROVAL_NOT_PENDING');
    expect(await t.changedSince(expiredState)).toEqual([]);
    expect((await fresh.get('/v1/approvals')).body.data.map((a: { refund_id: string }) => a.refund_id)).not.toContain(
      refund.id,
    );
    expect((await m.terminal.get(`/v1/sales/${refund.sale_id}`)).body.refundable_amount).toBe(WITH_APPROVAL);
    // Regression: the approval of an expired refund stayed `pending` forever; it is now closed with the refund.
    expect(await approvalStatus(refund.id)).toBe('closed');
  });

  it('canceling a refund at the terminal closes its undecided approval in the same transaction', async () => {
    const refund = await pendingApproval();
    expect(await approvalStatus(refund.id)).toBe('pending');
    expect((await m.terminal.post(`/v1/refunds/${refund.id}/cancel`)).body.status).toBe('canceled');
    expect(await approvalStatus(refund.id)).toBe('closed');
    const fresh = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const canceled = await t.checksum();
    const late = await fresh.post(`/v1/approvals/${refund.id}/approve`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('APPROVAL_NOT_PENDING');
    expect(await t.changedSince(canceled)).toEqual([]);
  });

  async function approvalStatus(refundId: string): Promise<string | undefined> {
    const row = await t.db
      .selectFrom('refund_approvals')
      .select('status')
      .where('refund_id', '=', refundId)
      .executeTakeFirst();
    return row?.status;
  }
});
