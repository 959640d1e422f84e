// docs/security.md "Audit log": reads of the audit log are themselves audited; owners see their merchant only
// (other merchants' objects answer 404), platform admins any merchant (PCI DSS 10.2.1-10.2.2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { createStaffUser } from './auth-helpers.js';

describe.each(DIALECTS)('audit read API [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let other: SeededMerchant;
  let owner: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    other = await t.seedMerchant();
    owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
  });
  afterAll(async () => t?.close());

  it('an owner reads their own merchant’s entries, newest first, with filters', async () => {
    const answer = await owner.get('/v1/audit?event=auth.login&limit=10');
    expect(answer.status).toBe(200);
    expect(answer.body.data.length).toBeGreaterThan(0);
    for (const entry of answer.body.data) {
      expect(entry).toMatchObject({ merchant_id: m.demo.merchant_id, event: 'auth.login' });
      expect(entry.actor.type).toBeDefined();
      expect(entry.origin).toBeTruthy();
    }
    const seqs = answer.body.data.map((e: { seq: number }) => e.seq);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
  });

  it('filters by object id and by time', async () => {
    const login = (await owner.get('/v1/audit?event=auth.login&limit=1')).body.data[0];
    const byObject = await owner.get(`/v1/audit?object_id=${login.object.id}`);
    // Not vacuous: the login entry itself is among them.
    expect(byObject.body.data.map((e: { seq: number }) => e.seq)).toContain(login.seq);
    expect(byObject.body.data.every((e: { object: { id: string } | null }) => e.object?.id === login.object.id)).toBe(
      true,
    );
    const future = await owner.get(
      `/v1/audit?from=${encodeURIComponent(new Date(t.clock.now() + 60_000).toISOString())}`,
    );
    expect(future.body.data).toEqual([]);
  });

  it('another merchant’s log is 404 for an owner', async () => {
    const before = await t.checksum();
    const answer = await owner.get(`/v1/audit?merchant_id=${other.demo.merchant_id}`);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('NOT_FOUND');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('managers and cashiers may not read the audit log', async () => {
    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const before = await t.checksum();
    const refused = await manager.get('/v1/audit');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('a platform admin reads any merchant', async () => {
    const adminUser = await createStaffUser(t, null, 'admin');
    const admin = await StaffClient.signIn(t, adminUser.login, adminUser.password);
    const answer = await admin.get(`/v1/audit?merchant_id=${other.demo.merchant_id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data.length).toBeGreaterThan(0);
    expect(answer.body.data.every((e: { merchant_id: string }) => e.merchant_id === other.demo.merchant_id)).toBe(true);
  });

  it('every read is itself an audit entry of the reader', async () => {
    const before = await t.db.selectFrom('audit_log').select('seq').where('event', '=', 'audit.read').execute();
    await owner.get('/v1/audit?limit=1');
    const reads = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', '=', 'audit.read')
      .orderBy('seq', 'desc')
      .execute();
    expect(reads.length).toBe(before.length + 1);
    expect(reads[0]).toMatchObject({
      actor_type: 'user',
      actor_id: owner.user.id,
      merchant_id: m.demo.merchant_id,
      outcome: 'success',
    });
    expect(await t.services.audit.verify()).toMatchObject({ ok: true });
  });
});
