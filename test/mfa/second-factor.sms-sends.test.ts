// Issue 12 (weak points) and docs/security.md "Attempt limits": second-factor SMS codes are capped per person (10 within
// an hour, sign-in and enrolment together; every send counts), on top of 3 per sign-in, counted before a code is made,
// so a burst of sends across many sign-ins sends no more than the cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { messagesTo, newestSecret, passwordStep, person, secondFactor } from './mfa-helpers.js';

describe.each(DIALECTS)('second-factor SMS sends per person [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  /** A cashier with the SMS factor enrolled through the API (that enrolment code is the first send). */
  async function smsPerson() {
    const who = await person(t, m.demo.merchant_id, 'cashier');
    const client = await StaffClient.signIn(t, who.login, who.password);
    expect((await client.post('/v1/me/sms-factor', {})).status).toBe(200);
    const confirmed = await client.post('/v1/me/sms-factor/confirm', {
      code: await newestSecret(t, who.phone, 'second_factor_code'),
    });
    expect(confirmed.status).toBe(200);
    for (const code of confirmed.body.backup_codes) t.secrets.add('backup code', code);
    return { ...who, backupCodes: confirmed.body.backup_codes as string[] };
  }

  const send = (pending: string) =>
    t.request('POST', '/v1/auth/second-factor/sms', { body: {}, headers: { cookie: `rk_pending=${pending}` } });

  it('the 11th SMS within an hour is refused (429 SMS_SEND_LIMIT) and changes nothing; an hour later it goes', async () => {
    const who = await smsPerson();
    for (let login = 0; login < 3; login++) {
      const pending = await passwordStep(t, who.login, who.password);
      for (let i = 0; i < 3; i++) {
        t.clock.advance(1_000);
        expect((await send(pending)).status).toBe(200);
      }
    }
    expect(await messagesTo(t, who.phone, 'second_factor_code')).toHaveLength(10);
    const pending = await passwordStep(t, who.login, who.password);
    const before = await t.checksum();
    const refused = await send(pending);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('SMS_SEND_LIMIT');
    expect(refused.body.error.retry_after_s).toBeGreaterThan(3_500);
    expect(await t.changedSince(before)).toEqual([]);
    // Other methods still work: a backup code signs in on the same pending login.
    const backup = await secondFactor(t, pending, 'backup_code', who.backupCodes[0] ?? '');
    expect(backup.status).toBe(200);
    t.clock.advance(60 * 60_000);
    const later = await passwordStep(t, who.login, who.password);
    expect((await send(later)).status).toBe(200);
  });

  it('a burst of 15 sends over 5 sign-ins sends exactly the 9 left of the 10', async () => {
    const who = await smsPerson();
    const pendings: string[] = [];
    for (let i = 0; i < 5; i++) pendings.push(await passwordStep(t, who.login, who.password));
    const answers = await Promise.all(pendings.flatMap((p) => [send(p), send(p), send(p)]));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    expect(await messagesTo(t, who.phone, 'second_factor_code')).toHaveLength(10);
  });
});
