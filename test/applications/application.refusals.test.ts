// Issue 15 item 5: every way an application is refused answers its exact status and code and changes nothing
// (table checksums; only the attempt counters and the audit log may record a refusal, docs/security.md): a bad credit
// code, an unverified phone, a wrong code (counted before it is checked: a burst gets no more than 5 verifications),
// the bot check failing (honeypot, too fast, no work, forged or replayed challenge), limits under simultaneous bursts
// (codes per phone and per IP, submissions per IP), anyone but a platform admin reviewing, decisions racing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_CHECK, solveChallenge } from '../../src/modules/applications/bot-check.js';
import { createStaffUser } from '../auth/auth-helpers.js';
import { newestSecret, person, wrong } from '../mfa/mfa-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { details, newPhone, requestCode, solvedChallenge, submit, verifiedPhone } from './apply-helpers.js';

const HOUR = 3_600_000;

describe.each(DIALECTS)('merchant application refusals [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let adminWho: { login: string; password: string };
  beforeAll(async () => {
    // The bot check is under test here: the product's work (16 bits), not the fixtures' lighter one.
    t = await TestApp.start(dialect, { botCheckBits: BOT_CHECK.bits });
    m = await t.seedMerchant();
    adminWho = await person(t, null, 'admin');
  });
  afterAll(async () => t?.close());

  /** A new hour: every per-hour window of the earlier tests is over. */
  const nextHour = () => t.clock.advance(2 * HOUR);
  const post = (url: string, body: unknown) => t.request('POST', url, { body });

  it('a bad credit code, a phone never verified or verified for another number: refused, nothing changed', async () => {
    nextHour();
    const phone = newPhone();
    const token = await verifiedPhone(t, phone);
    const check = await solvedChallenge(t);
    const base = { ...details(), phone, phone_token: token, ...check, website: '' };
    const before = await t.checksum();
    const badCode = await post('/v1/apply/applications', { ...base, credit_code: '91350100M000100Y44' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error).toMatchObject({ code: 'APPLICATION_CREDIT_CODE_INVALID', param: 'credit_code' });
    const unknownPlan = await post('/v1/apply/applications', { ...base, rate_plan_id: 'free_forever' });
    expect(unknownPlan.status).toBe(422);
    expect(unknownPlan.body.error.code).toBe('RATE_PLAN_UNKNOWN');
    const never = await post('/v1/apply/applications', { ...base, phone_token: 'apv_made_up' });
    expect(never.status).toBe(422);
    expect(never.body.error.code).toBe('APPLICATION_PHONE_NOT_VERIFIED');
    const otherPhone = await post('/v1/apply/applications', { ...base, phone: newPhone() });
    expect(otherPhone.status).toBe(422);
    expect(otherPhone.body.error.code).toBe('APPLICATION_PHONE_NOT_VERIFIED');
    const tooMany = await post('/v1/apply/applications', { ...base, terminal_count: 51 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('VALIDATION_FAILED');
    expect(await t.changedSince(before)).toEqual([]);
    // The proof was not used by any refusal: the same form with it is accepted once, then never again.
    expect((await post('/v1/apply/applications', base)).status).toBe(201);
    const again = await post('/v1/apply/applications', { ...base, ...(await solvedChallenge(t)) });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('APPLICATION_PHONE_NOT_VERIFIED');
  });

  it('wrong codes are counted before they are checked: of a burst of 20 and the right one, 5 are checked', async () => {
    nextHour();
    const phone = newPhone();
    expect((await requestCode(t, phone)).status).toBe(202);
    const code = await newestSecret(t, phone, 'application_phone_code');
    const before = await t.checksum();
    const one = await post('/v1/apply/phone-codes/verify', { phone, code: wrong(code) });
    expect(one.status).toBe(422);
    expect(one.body.error).toMatchObject({ code: 'APPLICATION_CODE_INVALID', attempts_left: 4 });
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post('/v1/apply/phone-codes/verify', { phone, code: wrong(code, 1 + (i % 9)) }),
      ),
    );
    expect(tally(burst)).toEqual({ '422 APPLICATION_CODE_INVALID': 4, '423 APPLICATION_PHONE_LOCKED': 16 });
    const right = await post('/v1/apply/phone-codes/verify', { phone, code });
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('APPLICATION_PHONE_LOCKED');
    expect(right.body.error.retry_after_s).toBeGreaterThan(0);
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('the bot check: honeypot, too fast, no work, forged and replayed challenges are refused alike', async () => {
    nextHour();
    const phone = newPhone();
    const token = await verifiedPhone(t, phone);
    const fresh = await t.request('GET', '/v1/apply/challenge');
    const { challenge, bits } = fresh.body;
    expect(bits).toBe(16); // docs/api.md "Merchant applications"
    const solution = solveChallenge(challenge, bits);
    const base = { ...details(), phone, phone_token: token, challenge, solution, website: '' };
    const before = await t.checksum();
    const tooFast = await post('/v1/apply/applications', base);
    t.clock.advance(6_000);
    const honeypot = await post('/v1/apply/applications', { ...base, website: 'http://cheap-pos.example' });
    const noWork = await post('/v1/apply/applications', { ...base, solution: 'x' });
    const forged = await post('/v1/apply/applications', { ...base, challenge: `${challenge.slice(0, -4)}0000` });
    for (const answer of [tooFast, honeypot, noWork, forged]) {
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe('APPLICATION_BOT_CHECK_FAILED');
    }
    expect(await t.changedSince(before)).toEqual([]);
    expect((await post('/v1/apply/applications', base)).status).toBe(201);
    // The same solved challenge for a second application (another verified phone) is a replay.
    const second = newPhone();
    const secondToken = await verifiedPhone(t, second);
    const beforeReplay = await t.checksum();
    const replay = await post('/v1/apply/applications', { ...base, phone: second, phone_token: secondToken });
    expect(replay.status).toBe(422);
    expect(replay.body.error.code).toBe('APPLICATION_BOT_CHECK_FAILED');
    expect(await t.changedSince(beforeReplay)).toEqual([]);
  });

  it('codes per phone under a burst: 30 at once send exactly 5 SMS', async () => {
    nextHour();
    const phone = newPhone();
    const answers = await Promise.all(Array.from({ length: 30 }, () => requestCode(t, phone)));
    expect(tally(answers)).toEqual({ '202': 5, '429 APPLICATION_CODE_SEND_LIMIT': 25 });
    const sent = (await t.services.outbox.listFor(phone, 100)).filter((r) => r.template === 'application_phone_code');
    expect(sent).toHaveLength(5);
  });

  it('codes per IP under a burst: 30 phones at once from one address send exactly 20', async () => {
    nextHour();
    const phones = Array.from({ length: 30 }, () => newPhone());
    const answers = await Promise.all(phones.map((phone) => requestCode(t, phone)));
    expect(tally(answers)).toEqual({ '202': 20, '429 APPLICATION_CODE_SEND_LIMIT': 10 });
    const rows = await t.db
      .selectFrom('application_phone_codes')
      .select('phone')
      .where('phone', 'in', phones)
      .execute();
    expect(rows).toHaveLength(20);
  });

  it('submissions per IP under a burst: 15 at once, 10 reach the bot check, 5 are refused before it', async () => {
    nextHour();
    const body = { ...details(), phone: newPhone(), phone_token: 'apv_none', challenge: 'v1.x.0.16.00', solution: '0' };
    const before = await t.checksum();
    const answers = await Promise.all(Array.from({ length: 15 }, () => post('/v1/apply/applications', body)));
    expect(tally(answers)).toEqual({ '422 APPLICATION_BOT_CHECK_FAILED': 10, '429 APPLICATION_RATE_LIMITED': 5 });
    expect(answers.find((a) => a.status === 429)?.body.error.retry_after_s).toBeGreaterThan(0);
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('only a platform admin reviews: others are refused (401/403) and change nothing', async () => {
    nextHour();
    const submitted = await submit(t, newPhone());
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const cashierWho = await createStaffUser(t, m.demo.merchant_id, 'cashier');
    const cashier = await StaffClient.signIn(t, cashierWho.login, cashierWho.password);
    const agentWho = await person(t, null, 'support_agent');
    const agent = await StaffClient.signIn(t, agentWho.login, agentWho.password);
    const before = await t.checksum();
    for (const client of [owner, manager, cashier, agent]) {
      for (const [url, body] of [
        [`/v1/applications/${id}/approve`, {}],
        [`/v1/applications/${id}/reject`, { reason: '资料不全' }],
        [`/v1/applications/${id}/request-info`, { message: '请补充' }],
      ] as const) {
        const answer = await client.post(url, body);
        expect(answer.status).toBe(403);
        expect(answer.body.error.code).toBe('FORBIDDEN');
      }
      const list = await client.get('/v1/applications');
      expect(list.status).toBe(403);
    }
    const anonymous = await post(`/v1/applications/${id}/approve`, {});
    expect(anonymous.status).toBe(401);
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('decisions race: of 6 simultaneous approvals and rejections exactly one happens; a taken login rolls back all', async () => {
    nextHour();
    const admin = await StaffClient.signIn(t, adminWho.login, adminWho.password); // sessions idle out after 15 min
    const taken = await submit(t, newPhone());
    const beforeTaken = await t.checksum();
    const clash = await admin.post(`/v1/applications/${taken.body.id}/approve`, { owner_login: m.demo.owner.login });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('LOGIN_TAKEN');
    expect(await t.changedSince(beforeTaken)).toEqual([]);

    const merchantsBefore = (await t.db.selectFrom('merchants').select('id').execute()).length;
    const race = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2
          ? admin.post(`/v1/applications/${taken.body.id}/approve`, {})
          : admin.post(`/v1/applications/${taken.body.id}/reject`, { reason: '经营范围不符' }),
      ),
    );
    const outcomes = tally(race);
    expect(outcomes['409 APPLICATION_NOT_REVIEWABLE']).toBe(5);
    const merchantsAfter = (await t.db.selectFrom('merchants').select('id').execute()).length;
    expect(merchantsAfter - merchantsBefore).toBe(race.some((a) => a.status === 200 && a.body.merchant_id) ? 1 : 0);

    // A decided application can no longer be amended; an unknown status token is 404.
    const beforeLate = await t.checksum();
    const late = await post('/v1/apply/status/amend', { ...details(), token: taken.body.status_token });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('APPLICATION_NOT_AMENDABLE');
    const unknown = await t.request('GET', '/v1/apply/status?token=aps_not_a_token');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('APPLICATION_NOT_FOUND');
    expect(await t.changedSince(beforeLate)).toEqual([]);
  });
});
