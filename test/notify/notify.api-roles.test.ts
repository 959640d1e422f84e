import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/lib/clock.js';
import { createStaffUser } from '../auth/auth-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { outcome } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

// Issue 4: webhook endpoints are the owner's (creating one needs a fresh re-authentication); outbox operations are the
// platform admin's; another merchant's endpoint is 404 (docs/api.md).
describe.each(DIALECTS)('webhook and outbox API by role [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let other: SeededMerchant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    other = await t.seedMerchant();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('lets the owner create (after re-auth), list, read the log of and disable an endpoint', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const body = { url: receiver.url('/owner'), events: ['sale.succeeded'] };
    t.clock.advance(6 * MINUTE); // the sign-in no longer counts as a fresh authentication
    const beforeStale = await t.checksum();
    const stale = await owner.post('/v1/webhook-endpoints', body);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('REAUTH_REQUIRED');
    expect(await t.changedSince(beforeStale)).toEqual([]);
    await owner.reauth();
    const created = await owner.post('/v1/webhook-endpoints', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const id = created.body.endpoint.id as string;

    const list = await owner.get('/v1/webhook-endpoints');
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([id]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    await t.db
      .transaction()
      .execute((trx) => t.services.webhooks.emit(trx, m.demo.merchant_id, 'sale.succeeded', { id: 'sal_x' }));
    await t.services.delivery.deliverDue();
    const log = await owner.get(`/v1/webhook-endpoints/${id}/deliveries`);
    expect(log.body.data).toMatchObject([{ event: 'sale.succeeded', ok: true, status_code: 200, attempt: 1 }]);

    const otherOwner = await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
    const before = await t.checksum();
    const foreign = [
      await otherOwner.get(`/v1/webhook-endpoints/${id}/deliveries`),
      await otherOwner.post(`/v1/webhook-endpoints/${id}/disable`),
    ];
    expect(foreign.map(outcome)).toEqual(['404 WEBHOOK_ENDPOINT_NOT_FOUND', '404 WEBHOOK_ENDPOINT_NOT_FOUND']);
    expect((await otherOwner.get('/v1/webhook-endpoints')).body.data).toEqual([]);
    expect(await t.changedSince(before)).toEqual([]);

    expect((await owner.post(`/v1/webhook-endpoints/${id}/disable`)).body).toEqual({ id, status: 'disabled' });
  });

  it('refuses managers on webhook endpoints and everyone but admins on outbox operations', async () => {
    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const before = await t.checksum();
    const refused = [
      await manager.get('/v1/webhook-endpoints'),
      await manager.get('/v1/ops/outbox'),
      await owner.get('/v1/ops/outbox'),
      await t.request('GET', '/v1/ops/outbox'),
      await t.request('GET', '/v1/webhook-endpoints'),
    ];
    expect(refused.map((a) => a.status)).toEqual([403, 403, 403, 401, 401]);
    expect(refused.map(outcome)).toEqual([
      '403 FORBIDDEN',
      '403 FORBIDDEN',
      '403 FORBIDDEN',
      '401 UNAUTHENTICATED',
      '401 UNAUTHENTICATED',
    ]);
    expect(await t.changedSince(before)).toEqual([]);

    const adminUser = await createStaffUser(t, null, 'admin');
    const admin = await StaffClient.signIn(t, adminUser.login, adminUser.password);
    const stats = await admin.get('/v1/ops/outbox');
    expect(stats.status).toBe(200);
    expect(stats.body.transports).toEqual({ email: 'dev-email', sms: 'dev-sms', webhook: 'webhook' });
    expect(stats.body.counts.sent).toBeGreaterThanOrEqual(1);
    // Issue 10 point 14: every delivering server with the transports it reported (here this process's only worker).
    expect(stats.body.servers).toEqual([
      expect.objectContaining({ pid: process.pid, transports: stats.body.transports }),
    ]);
    const beforeMissing = await t.checksum();
    const missing = await admin.post('/v1/ops/outbox/msg_missing/retry');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('MESSAGE_NOT_FOUND');
    expect(await t.changedSince(beforeMissing)).toEqual([]);
  });
});
