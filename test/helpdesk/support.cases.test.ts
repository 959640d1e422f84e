// Issue 15 item 2: the support desk. A support agent finds a merchant, opens a case for its owner, records the
// identity checks (last 4 characters only: a full number is refused and never stored), and a SECOND agent approves
// (the opener cannot, also not in a burst; of two other agents' simultaneous approvals exactly one is recorded); the
// owner then gets a reset code on the registered channels; agents are counted per hour; a case expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD } from '../auth/auth-helpers.js';
import { messagesTo, person } from '../mfa/mfa-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('support desk cases [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  const agents: StaffClient[] = [];
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    for (let i = 0; i < 3; i++) {
      const who = await person(t, null, 'support_agent');
      agents.push(await StaffClient.signIn(t, who.login, who.password));
    }
  });
  afterAll(async () => t?.close());

  const audit = async (event: string) =>
    (await t.db.selectFrom('audit_log').select(['outcome']).where('event', '=', event).execute()).map((r) => r.outcome);

  it('open, check, approve by a second agent: the opener is refused, also in a burst; one approval of many', async () => {
    const [a, b, c] = agents as [StaffClient, StaffClient, StaffClient];
    const found = await a.get(`/v1/support/merchants?q=${encodeURIComponent(m.demo.merchant_id)}`);
    expect(found.status).toBe(200);
    expect(found.body.data.map((x: { id: string }) => x.id)).toContain(m.demo.merchant_id);
    const opened = await a.post('/v1/support/cases', { merchant_id: m.demo.merchant_id, kind: 'locked_out_owner' });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const url = `/v1/support/cases/${id}`;

    const before = await t.checksum();
    const full = await a.post(`${url}/checks`, {
      kind: 'id_document',
      document_type: 'resident_id',
      last4: '110101199003071234',
      outcome: 'passed',
    });
    expect(full.status).toBe(422);
    expect(full.body.error.code).toBe('SUPPORT_FULL_NUMBER_REFUSED');
    expect(JSON.stringify(full.body)).not.toContain('110101199003071234');
    const licence = await a.post(`${url}/checks`, {
      kind: 'business_licence',
      last4: '91350211MA2Y',
      outcome: 'passed',
    });
    expect(licence.status).toBe(422);
    expect(licence.body.error.code).toBe('SUPPORT_FULL_NUMBER_REFUSED');
    expect(await t.changedSince(before)).toEqual([]);

    const early = await b.post(`${url}/approve`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('SUPPORT_CHECKS_MISSING');

    expect(
      (
        await a.post(`${url}/checks`, {
          kind: 'id_document',
          document_type: 'resident_id',
          last4: '1234',
          outcome: 'passed',
        })
      ).status,
    ).toBe(200);
    expect((await a.post(`${url}/checks`, { kind: 'business_licence', last4: '2Y3K', outcome: 'passed' })).status).toBe(
      200,
    );
    const called = await a.post(`${url}/checks`, { kind: 'callback', outcome: 'reached' });
    expect(called.status).toBe(200);
    expect(called.body.status).toBe('checks_recorded');

    const beforeSelf = await t.checksum();
    const self = await Promise.all(Array.from({ length: 10 }, () => a.post(`${url}/approve`, {})));
    expect(tally(self)).toEqual({ '403 SUPPORT_SELF_APPROVAL': 10 });
    expect(await t.changedSince(beforeSelf)).toEqual([]);

    const race = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? b : c).post(`${url}/approve`, {})));
    expect(tally(race)).toEqual({ '200': 1, '409 SUPPORT_CASE_NOT_APPROVABLE': 9 });
    const row = await t.db.selectFrom('support_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
    expect([b.user.id, c.user.id]).toContain(row.approved_by);
    // The reset code goes to the owner's registered phone and e-mail; no agent answer carries it.
    expect(await messagesTo(t, '13800138000', 'support_reset_link')).toHaveLength(1);
    for (const answer of race) expect(JSON.stringify(answer.body)).not.toMatch(/rst_/);
    expect(await audit('support.case_opened')).toEqual(['success']);
    expect(await audit('support.check_recorded')).toHaveLength(3);
    expect(await audit('support.case_approved')).toContain('success');
    expect((await audit('support.case_approved')).filter((o) => o === 'failure').length).toBeGreaterThanOrEqual(10);
  });

  it('only support agents reach the desk; owners, managers and admins are refused and change nothing', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const adminWho = await person(t, null, 'admin');
    const admin = await StaffClient.signIn(t, adminWho.login, adminWho.password);
    const before = await t.checksum();
    for (const client of [owner, admin]) {
      const open = await client.post('/v1/support/cases', { merchant_id: m.demo.merchant_id, kind: 'lost_phone' });
      expect(open.status).toBe(403);
      expect(open.body.error.code).toBe('FORBIDDEN');
      const find = await client.get('/v1/support/merchants?q=demo');
      expect(find.status).toBe(403);
    }
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('a case expires after 72 hours', async () => {
    const [a] = agents as [StaffClient];
    const opened = await a.post('/v1/support/cases', { merchant_id: m.demo.merchant_id, kind: 'forgotten_key' });
    expect(opened.status).toBe(201);
    t.clock.advance(73 * 3_600_000);
    const fresh: StaffClient[] = [];
    for (const agent of agents) fresh.push(await StaffClient.signIn(t, agent.login, STRONG_PASSWORD));
    const late = await (fresh[1] as StaffClient).post(`/v1/support/cases/${opened.body.id}/approve`, {});
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('SUPPORT_CASE_EXPIRED');
    expect((await (fresh[1] as StaffClient).get(`/v1/support/cases/${opened.body.id}`)).body.status).toBe('expired');
  });

  it('support actions are counted per agent: a burst of 40 gets exactly 30 through', async () => {
    const who = await person(t, null, 'support_agent');
    const agent = await StaffClient.signIn(t, who.login, who.password);
    const answers = await Promise.all(Array.from({ length: 40 }, () => agent.get('/v1/support/merchants?q=demo')));
    expect(tally(answers)).toEqual({ '200': 30, '429 SUPPORT_RATE_LIMITED': 10 });
  });
});
