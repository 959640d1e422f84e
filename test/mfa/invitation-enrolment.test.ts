// Issue 12 (weak points): the answer to accepting an invitation says whether the new person must enrol a second factor
// before anything else works (owners, managers and admins must; cashiers may), like a password login does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_PASSWORD, newLogin, newPhone, secretSentTo } from '../provisioning/provisioning-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { sessionCookieOf } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';
import { enrolledOwner } from './mfa-helpers.js';

describe.each(DIALECTS)('invitation accept tells whether enrolment is required [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    t.secrets.add('password', NEW_PASSWORD);
    m = await t.seedMerchant();
  });
  afterAll(async () => t?.close());

  it('a manager is told to enrol (and is held to it); a cashier is not', async () => {
    const owner = await enrolledOwner(t, m.demo.merchant_id);
    for (const [role, required] of [
      ['manager', true],
      ['cashier', false],
    ] as const) {
      const phone = newPhone();
      const created = await owner.client.post('/v1/staff', { login: newLogin(role), name: role, role, phone });
      expect(created.status).toBe(201);
      const token = await secretSentTo(t, phone, 'staff_invitation', 'token');
      const accepted = await t.request('POST', '/v1/auth/invitations/accept', {
        body: { token, password: NEW_PASSWORD },
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'signed_in', second_factor_enrolment_required: required });
      const headers = {
        cookie: `rk_session=${sessionCookieOf(accepted)}`,
        'x-csrf-token': String(accepted.body.csrf_token),
      };
      const stores = await t.request('GET', '/v1/stores', { headers });
      if (required) expect(stores.body.error.code).toBe('SECOND_FACTOR_ENROLMENT_REQUIRED');
      else expect(stores.status).not.toBe(403);
    }
  });
});
