// Issue 13 items 6 and 8 on the API: the dashboard's velocity alerts (an operator starting many refunds in a short
// time, the store's refund policy), a failed message sent again by its merchant's owner (an alert, a webhook
// delivery), the audit log filtered by who acted, and the hash chain's status.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/lib/clock.js';
import { startRefund } from '../authorization/authz-helpers.js';
import { signInAgain } from '../core/core-helpers.js';
import { WebhookReceiver } from '../notify/support/webhook-receiver.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('dashboard alerts, message retry, audit filters and chain [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let other: SeededMerchant;
  let receiver: WebhookReceiver;
  const owner = () => StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await TestApp.start(dialect, { env: { WEBHOOK_MAX_ATTEMPTS: '1' } });
    m = await t.seedMerchant();
    other = await t.seedMerchant();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('three refunds by one operator within 10 minutes show one velocity alert for a day, to its owner only', async () => {
    for (let i = 0; i < 3; i++) {
      await startRefund(m.terminal, 1_000);
      t.clock.advance(2 * MINUTE);
    }
    const alerts = await (await owner()).get('/v1/reports/alerts');
    expect(alerts.status, JSON.stringify(alerts.body)).toBe(200);
    const operator = m.demo.stores[0]?.operators[0];
    const terminalName = (
      await t.db.selectFrom('terminals').select('name').where('id', '=', m.terminal.id).executeTakeFirstOrThrow()
    ).name;
    const storeName = m.demo.stores[0]?.name;
    expect(terminalName).not.toMatch(/^trm_/);
    expect(alerts.body.velocity).toEqual([
      expect.objectContaining({
        operator_no: operator?.operator_no,
        terminal_id: m.terminal.id,
        // Regression: the dashboard showed the terminal's internal id (trm_…); the answer names it.
        terminal_name: terminalName,
        store_id: m.terminal.storeId,
        store_name: storeName,
        count: 3,
        window_minutes: 10,
      }),
    ]);
    const theirs = await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
    expect((await theirs.get('/v1/reports/alerts')).body.velocity).toEqual([]);
    t.clock.advance(24 * HOUR);
    expect((await (await owner()).get('/v1/reports/alerts')).body.velocity).toEqual([]);
  });

  it('a failed webhook delivery is listed and sent again by the owner; others cannot, nothing changes', async () => {
    const client = await owner();
    await client.reauth();
    receiver.fallback = 500;
    const created = await client.post('/v1/webhook-endpoints', {
      url: receiver.url('/hook'),
      events: ['sale.succeeded'],
    });
    expect(created.status).toBe(201);
    // The operator's session ended while the clock moved a day on (the test before): sign in again.
    const pos = await signInAgain(t, m, m.terminal);
    await pos.sale(2_000);
    await t.services.delivery.deliverDue();
    const alerts = await client.get('/v1/reports/alerts');
    const failed = alerts.body.failed_messages.find((f: { channel: string }) => f.channel === 'webhook');
    expect(failed).toMatchObject({ template: 'sale.succeeded', attempts: 1, last_error: 'HTTP 500' });

    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const theirs = await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
    const before = await t.checksum();
    const refusals: [StaffClient, string, number, string][] = [
      [theirs, failed.id, 404, 'MESSAGE_NOT_FOUND'],
      [client, 'msg_unknown', 404, 'MESSAGE_NOT_FOUND'],
      [manager, failed.id, 403, 'FORBIDDEN'],
    ];
    const answers = await Promise.all(refusals.map(([who, id]) => who.post(`/v1/messages/${id}/retry`)));
    answers.forEach((answer, i) => {
      expect(answer.status, String(i)).toBe(refusals[i]?.[2]);
      expect(answer.body.error.code, String(i)).toBe(refusals[i]?.[3]);
    });
    expect(await t.changedSince(before)).toEqual([]);

    const retried = await client.post(`/v1/messages/${failed.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ id: failed.id, status: 'queued' });
    receiver.fallback = 200;
    await t.services.delivery.deliverDue();
    const deliveries = await client.get(`/v1/webhook-endpoints/${created.body.endpoint.id}/deliveries`);
    expect(deliveries.body.data.map((d: { ok: boolean; status_code: number }) => [d.ok, d.status_code])).toEqual([
      [true, 200],
      [false, 500],
    ]);
    const still = (await client.get('/v1/reports/alerts')).body.failed_messages.map((f: { id: string }) => f.id);
    expect(still).not.toContain(failed.id);

    // Sent now: nothing to send again.
    const beforeAgain = await t.checksum();
    const again = await client.post(`/v1/messages/${failed.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MESSAGE_NOT_RETRYABLE');
    expect(await t.changedSince(beforeAgain)).toEqual([]);
  });

  it('the audit log filtered by who acted holds only that person’s entries; a bad filter is refused', async () => {
    const client = await owner();
    await client.get('/v1/audit?limit=1'); // an audited read by the owner
    const mine = await client.get(`/v1/audit?actor_id=${client.user.id}&limit=50`);
    expect(mine.status).toBe(200);
    expect(mine.body.data.length).toBeGreaterThan(0);
    for (const entry of mine.body.data) expect(entry.actor).toEqual({ type: 'user', id: client.user.id });
    const nobody = await client.get('/v1/audit?actor_id=usr_nobody');
    expect(nobody.body.data).toEqual([]);
    const bad = await client.get(`/v1/audit?actor_id=${'x'.repeat(200)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('the chain status says intact up to the head, and names the first altered entry once one is', async () => {
    const client = await owner();
    const intact = await client.get('/v1/audit/chain');
    expect(intact.status).toBe(200);
    const head = await t.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    expect(intact.body).toMatchObject({ status: 'intact', broken_at_seq: null, reason: null });
    expect(intact.body.verified_to_seq).toBeGreaterThanOrEqual(Number(head.seq));
    expect(intact.body.checked).toBe(intact.body.verified_to_seq);

    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const refused = await manager.get('/v1/audit/chain');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');

    const victim = await t.db
      .selectFrom('audit_log')
      .select('seq')
      .where('merchant_id', '=', m.demo.merchant_id)
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    // Altered as someone with write access to the database would (on PostgreSQL a superuser who first disables the
    // append-only trigger).
    if (dialect === 'postgres') await sql`alter table audit_log disable trigger audit_log_append_only`.execute(t.db);
    await t.db.updateTable('audit_log').set({ outcome: 'failure' }).where('seq', '=', victim.seq).execute();
    if (dialect === 'postgres') await sql`alter table audit_log enable trigger audit_log_append_only`.execute(t.db);
    const broken = await client.get('/v1/audit/chain');
    expect(broken.body).toMatchObject({
      status: 'broken',
      broken_at_seq: Number(victim.seq),
      verified_to_seq: Number(victim.seq) - 1,
      reason: 'entry altered',
    });
  });
});
