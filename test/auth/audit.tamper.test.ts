// docs/security.md "Audit log": append-only and hash-chained; `refundkey audit verify` names the first broken entry;
// on PostgreSQL a trigger refuses UPDATE and DELETE (PCI DSS 10.2, 10.3.2, 10.5).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../../src/cli/audit.js';
import { main } from '../../src/cli/index.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('audit chain tampering [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    // A few real events: logins ok and failed, a re-authentication, a key change, a logout.
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await t.request('POST', '/v1/auth/login', { body: { login: m.demo.owner.login, password: 'wrong-password-here' } });
    await owner.reauth();
    await owner.post('/v1/refund-key', { new_key: 'Kelp-Quartz-Ranger-64', confirm_key: 'Kelp-Quartz-Ranger-64' });
    await owner.post('/v1/auth/logout');
  });
  afterAll(async () => t?.close());

  const cli = async (...args: string[]) => {
    const errors: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((...line: unknown[]) => void errors.push(line.join(' ')));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      return {
        code: await main(['audit', 'verify', '--database-url', t.services.config.databaseUrl, ...args]),
        errors,
      };
    } finally {
      err.mockRestore();
      log.mockRestore();
    }
  };

  it('records the events and verifies the untouched chain (CLI exit 0)', async () => {
    const events = (await t.db.selectFrom('audit_log').select('event').execute()).map((r) => r.event);
    for (const e of ['auth.login', 'auth.reauth', 'refund_key.set', 'auth.logout']) expect(events).toContain(e);
    expect(await t.services.audit.verify()).toMatchObject({ ok: true });
    expect((await cli()).code).toBe(0);
  });

  it('editing one row makes verify fail naming that row (CLI exit 1)', async () => {
    const target = await t.db
      .selectFrom('audit_log')
      .select(['seq'])
      .where('event', '=', 'auth.reauth')
      .executeTakeFirstOrThrow();
    const seq = Number(target.seq);
    // On PostgreSQL only a superuser who first disables the trigger can do this; the chain still gives it away.
    if (dialect === 'postgres') await sql`alter table audit_log disable trigger audit_log_append_only`.execute(t.db);
    await sql`update audit_log set outcome = 'failure' where seq = ${seq}`.execute(t.db);
    if (dialect === 'postgres') await sql`alter table audit_log enable trigger audit_log_append_only`.execute(t.db);
    expect(await t.services.audit.verify()).toMatchObject({ ok: false, brokenSeq: seq, reason: 'entry altered' });
    const result = await cli();
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toContain(`seq ${seq}`);
    expect(await verifyAuditChain(t.services.config.databaseUrl, undefined)).toMatchObject({
      ok: false,
      brokenSeq: seq,
    });
  });

  it('a deleted entry is named as missing', async () => {
    const first = await t.services.audit.verify();
    if (first.ok) throw new Error('expected the earlier tampering to be detected');
    // Repair nothing: delete an entry before the altered one, so it becomes the first break.
    const victim = first.brokenSeq - 1;
    if (dialect === 'postgres') await sql`alter table audit_log disable trigger audit_log_append_only`.execute(t.db);
    await sql`delete from audit_log where seq = ${victim}`.execute(t.db);
    if (dialect === 'postgres') await sql`alter table audit_log enable trigger audit_log_append_only`.execute(t.db);
    expect(await t.services.audit.verify()).toMatchObject({ ok: false, brokenSeq: victim, reason: 'entry missing' });
  });
});

// The trigger exists on PostgreSQL only (SQLite relies on the chain); this suite therefore runs on PostgreSQL alone.
describe('audit_log append-only trigger [postgres]', () => {
  let t: TestApp;
  let recorded: number;
  beforeAll(async () => {
    t = await TestApp.start('postgres');
    await t.seedMerchant();
    // Counted, not assumed: seeding writes whatever entries activations and sign-ins are audited with.
    const seeded = Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(t.db)).rows[0]?.n);
    recorded = seeded + 2;
    await t.services.audit.record(undefined, { actor: { type: 'system' }, event: 'test.one', outcome: 'info' });
    await t.services.audit.record(undefined, { actor: { type: 'system' }, event: 'test.two', outcome: 'info' });
  });
  afterAll(async () => t?.close());

  it('refuses UPDATE, DELETE and TRUNCATE of audit entries', async () => {
    await expect(sql`update audit_log set outcome = 'success' where seq = ${recorded}`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where seq = ${recorded}`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    const events = await t.db.selectFrom('audit_log').select('event').orderBy('seq').execute();
    expect(events.length).toBe(recorded);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['test.one', 'test.two']);
    expect(await t.services.audit.verify()).toMatchObject({ ok: true, checked: recorded, head: { seq: recorded } });
  });
});
