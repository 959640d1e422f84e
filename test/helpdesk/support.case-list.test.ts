// Issue 15 gaps 4 and 5: a second agent finds the cases waiting for approval (GET /v1/support/cases?status=…), newest
// first, a page at a time (limit, starting_after, has_more), each case with its merchant's name; agents only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person } from '../mfa/mfa-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

describe.each(DIALECTS)('support desk: the list of cases [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let merchantName = '';
  let a: StaffClient;
  let b: StaffClient;
  let logins: Array<{ login: string; password: string }> = [];
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    const merchant = await t.db
      .selectFrom('merchants')
      .select('name')
      .where('id', '=', m.demo.merchant_id)
      .executeTakeFirstOrThrow();
    merchantName = merchant.name;
    logins = [await person(t, null, 'support_agent'), await person(t, null, 'support_agent')];
    [a, b] = await signIn();
  });
  afterAll(async () => t?.close());
  const signIn = (): Promise<[StaffClient, StaffClient]> => {
    const [x, y] = logins;
    if (!x || !y) throw new Error('no agents');
    return Promise.all([StaffClient.signIn(t, x.login, x.password), StaffClient.signIn(t, y.login, y.password)]);
  };

  /** A case opened by `agent`, its ID document and call-back recorded when `checked`; a second apart from the last. */
  async function caseBy(agent: StaffClient, checked: boolean): Promise<string> {
    t.clock.advance(1000);
    const opened = await agent.post('/v1/support/cases', { merchant_id: m.demo.merchant_id, kind: 'forgotten_key' });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    if (checked) {
      const document = { kind: 'id_document', document_type: 'passport', last4: 'E123', outcome: 'passed' };
      expect((await agent.post(`/v1/support/cases/${id}/checks`, document)).status).toBe(200);
      const callback = { kind: 'callback', outcome: 'reached' };
      expect((await agent.post(`/v1/support/cases/${id}/checks`, callback)).status).toBe(200);
    }
    return id;
  }
  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((c) => c.id);

  it('lists the cases waiting for approval, newest first, by pages, with the merchant name', async () => {
    const open = await caseBy(a, false);
    const older = await caseBy(a, true);
    const newer = await caseBy(b, true);
    const approved = await caseBy(b, true);
    expect((await a.post(`/v1/support/cases/${approved}/approve`, {})).status).toBe(200);

    const waiting = await b.get('/v1/support/cases?status=checks_recorded');
    expect(waiting.status).toBe(200);
    expect([waiting.body.object, ids(waiting.body), waiting.body.has_more]).toEqual(['list', [newer, older], false]);
    expect(waiting.body.data[1]).toMatchObject({ merchant_name: merchantName, status: 'checks_recorded' });
    expect(ids((await b.get('/v1/support/cases?status=open')).body)).toEqual([open]);
    expect(ids((await b.get('/v1/support/cases?status=approved')).body)).toEqual([approved]);
    expect(ids((await b.get('/v1/support/cases')).body)).toEqual([approved, newer, older, open]);

    const first = await b.get('/v1/support/cases?status=checks_recorded&limit=1');
    expect([ids(first.body), first.body.has_more]).toEqual([[newer], true]);
    const next = await b.get(`/v1/support/cases?status=checks_recorded&limit=1&starting_after=${newer}`);
    expect([ids(next.body), next.body.has_more]).toEqual([[older], false]);

    // The case itself names its merchant, not only its id.
    const one = await b.get(`/v1/support/cases/${older}`);
    expect([one.body.merchant_id, one.body.merchant_name]).toEqual([m.demo.merchant_id, merchantName]);

    // 72 hours on, the unapproved cases are expired: nothing waits any more.
    t.clock.advance(72 * 3600_000);
    [a, b] = await signIn(); // the sessions ended long ago
    expect(ids((await b.get('/v1/support/cases?status=checks_recorded')).body)).toEqual([]);
    expect(ids((await b.get('/v1/support/cases?status=expired')).body)).toEqual([newer, older, open]);
  });

  it('refuses an unknown starting_after or status, and every caller who is not an agent; nothing changes', async () => {
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const before = await t.checksum();
    const unknown = await a.get('/v1/support/cases?starting_after=sca_none');
    expect([unknown.status, unknown.body.error.code, unknown.body.error.param]).toEqual([
      400,
      'VALIDATION_FAILED',
      'starting_after',
    ]);
    const status = await a.get('/v1/support/cases?status=waiting');
    expect([status.status, status.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const refused = await owner.get('/v1/support/cases?status=checks_recorded');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await t.changedSince(before)).toEqual([]);
  });
});
