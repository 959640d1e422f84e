// docs/security.md "Audit log": every refund step (requested, code issued, wrong key or code, authorized, approved,
// denied, expired) and every lockout writes an entry with actor, event, time, outcome, origin and object
// (PCI DSS 10.2.1-10.2.2), hash-chained so that the chain verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { outcome } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { codeOf, KEY_AND_CODE, startRefund, WITH_APPROVAL, wrongCode } from './authz-helpers.js';

describe.each(DIALECTS)('refund audit trail [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  const entriesOf = (refundId: string) =>
    t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_type', '=', 'refund')
      .where('object_id', '=', refundId)
      .orderBy('seq')
      .execute();

  it('a refund with wrong entries, a resend, key, code and approval leaves every step', async () => {
    const refund = await startRefund(m.terminal, WITH_APPROVAL);
    const first = await codeOf(t, refund.id);
    // The wrong entries are refused exactly, and change nothing but what a refusal records (counters, the audit log).
    const before = await t.checksum();
    const wrongKey = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: 'not-the-key-1' });
    expect(wrongKey.status).toBe(422);
    expect(wrongKey.body.error.code).toBe('REFUND_KEY_INVALID');
    const wrongEntry = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { code: wrongCode(first) });
    expect(wrongEntry.status).toBe(422);
    expect(wrongEntry.body.error.code).toBe('CODE_INVALID');
    expect(await t.changedSince(before)).toEqual([]);
    expect((await m.terminal.post(`/v1/refunds/${refund.id}/resend-code`)).status).toBe(200);
    const waiting = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(t, refund.id),
    });
    expect(waiting.body.status).toBe('pending_approval');
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await owner.reauth();
    expect((await owner.post(`/v1/approvals/${refund.id}/approve`)).status).toBe(200);

    const entries = await entriesOf(refund.id);
    expect(entries.map((e) => e.event)).toEqual([
      'refund.requested',
      'refund.code_issued',
      'refund.key_wrong',
      'refund.code_wrong',
      'refund.code_issued',
      'refund.factors_accepted',
      'refund.approval_requested',
      'refund.authorized',
      'refund.approved',
    ]);
    for (const entry of entries) {
      expect(entry.merchant_id).toBe(m.demo.merchant_id);
      expect(entry.actor_type).toMatch(/^(operator|user|system)$/);
      expect(entry.actor_id).toBeTruthy();
      expect(entry.origin).toBeTruthy();
      expect(Number(entry.at)).toBe(t.clock.now());
    }
    expect(entries.find((e) => e.event === 'refund.key_wrong')?.outcome).toBe('failure');
    expect(entries.find((e) => e.event === 'refund.approved')?.actor_id).toBe(owner.user.id);
    expect(await t.services.audit.verify()).toMatchObject({ ok: true });
  });

  it('denied, canceled, expired and lockouts are audited too, and the chain still verifies', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await owner.reauth();
    const denied = await startRefund(m.terminal, WITH_APPROVAL);
    const waiting = await m.terminal.post(`/v1/refunds/${denied.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(t, denied.id),
    });
    expect(waiting.body.status).toBe('pending_approval');
    expect((await owner.post(`/v1/approvals/${denied.id}/deny`, { reason: '可疑 / suspicious' })).status).toBe(200);
    expect((await entriesOf(denied.id)).map((e) => e.event).slice(-2)).toEqual(['refund.canceled', 'refund.denied']);

    const canceled = await startRefund(m.terminal, 1_000);
    expect((await m.terminal.post(`/v1/refunds/${canceled.id}/cancel`)).status).toBe(200);
    expect((await entriesOf(canceled.id)).map((e) => e.event)).toEqual(['refund.requested', 'refund.canceled']);

    const expiring = await startRefund(m.terminal, KEY_AND_CODE);
    t.clock.advance(5 * 60_000);
    await t.services.refundLedger.expireDue();
    const expired = (await entriesOf(expiring.id)).at(-1);
    expect(expired).toMatchObject({ event: 'refund.expired', actor_type: 'system' });

    const locking = await startRefund(m.terminal, 1_000);
    const wrongs: string[] = [];
    for (let i = 0; i < 5; i++)
      wrongs.push(
        outcome(await m.terminal.post(`/v1/refunds/${locking.id}/authorize`, { refund_key: 'wrong-again-1' })),
      );
    // docs/security.md "Attempt limits": the fifth wrong key in a row locks the terminal's refunds.
    expect(wrongs).toEqual([...Array(4).fill('422 REFUND_KEY_INVALID'), '423 REFUNDS_LOCKED']);
    const lockouts = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', '=', 'refund.lockout')
      .where('merchant_id', '=', m.demo.merchant_id)
      .execute();
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ object_type: 'terminal', object_id: m.terminal.id, origin: m.terminal.id });
    expect((await owner.post(`/v1/terminals/${m.terminal.id}/refund-lock/unlock`)).status).toBe(200);
    const unlocked = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', '=', 'refund.unlocked')
      .executeTakeFirstOrThrow();
    expect(unlocked).toMatchObject({ actor_type: 'user', actor_id: owner.user.id, object_id: m.terminal.id });

    expect(await t.services.audit.verify()).toMatchObject({ ok: true });
  });

  it('policy changes are audited with the owner as actor', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await owner.reauth();
    expect(
      (await owner.post(`/v1/stores/${m.terminal.storeId}/refund-policy`, { caps: { store_daily_count: 500 } })).status,
    ).toBe(200);
    const entry = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', '=', 'refund_policy.updated')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actor_type: 'user',
      actor_id: owner.user.id,
      object_type: 'store',
      object_id: m.terminal.storeId,
      outcome: 'success',
    });
    expect(await t.services.audit.verify()).toMatchObject({ ok: true });
  });
});
