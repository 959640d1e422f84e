// Issue 15 item 1: the forgotten refund key. The owner, signed in with a second factor and re-authenticated, proves the
// registered phone with a code (counted before it is checked, used once) and sets a new key without the old one; every
// terminal refuses the old key from then on; the other owners and managers are told; every step is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesTo, newestSecret, person, wrong } from '../mfa/mfa-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

const NEW_KEY = 'Saffron-Lantern-Orbit-47';
const OTHER_KEY = 'Copper-Meadow-Tundra-58';
const TEMPLATE = 'refund_key_recovery_code';

describe.each(DIALECTS)('forgotten refund key [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let owner: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    t.secrets.add('refund key', NEW_KEY);
    t.secrets.add('refund key', OTHER_KEY);
    owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
  });
  afterAll(async () => t?.close());

  const phone = () => '13800138000';
  const auditEvents = async (event: string) =>
    (await t.db.selectFrom('audit_log').select(['event', 'outcome']).where('event', '=', event).execute()).map(
      (r) => r.outcome,
    );
  const refundWith = async (key: string) => {
    const pos = m.terminal;
    const sale = await pos.sale(1_000);
    const created = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 1_000, reason: 'x' });
    return pos.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: key });
  };

  it('refusals change nothing: not the owner, no re-authentication, not started, weak key, wrong code', async () => {
    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    await manager.reauth();
    const before = await t.checksum();
    const byManager = await manager.post('/v1/refund-key/forgotten', {});
    expect(byManager.status).toBe(403);
    expect(byManager.body.error.code).toBe('FORBIDDEN');

    t.clock.advance(6 * 60_000); // the sign-in's re-authentication is older than 5 minutes
    const stale = await owner.post('/v1/refund-key/forgotten', {});
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('REAUTH_REQUIRED');
    expect(await t.changedSince(before)).toEqual([]);
    await owner.reauth();
    const afterReauth = await t.checksum();
    const notStarted = await owner.post('/v1/refund-key/forgotten/confirm', {
      code: '123456',
      new_key: NEW_KEY,
      confirm_key: NEW_KEY,
    });
    expect(notStarted.status).toBe(409);
    expect(notStarted.body.error.code).toBe('KEY_RECOVERY_NOT_STARTED');
    expect(await t.changedSince(afterReauth)).toEqual([]);

    const sent = await owner.post('/v1/refund-key/forgotten', {});
    expect(sent.status).toBe(202);
    expect(sent.body.sent_to).toBe('138****8000');
    const code = await newestSecret(t, phone(), TEMPLATE);
    expect(code).toMatch(/^\d{6}$/);

    const afterSend = await t.checksum();
    const weak = await owner.post('/v1/refund-key/forgotten/confirm', {
      code,
      new_key: 'password1234',
      confirm_key: 'password1234',
    });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('REFUND_KEY_TOO_WEAK');
    const mismatch = await owner.post('/v1/refund-key/forgotten/confirm', {
      code,
      new_key: NEW_KEY,
      confirm_key: OTHER_KEY,
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('KEY_CONFIRMATION_MISMATCH');
    const bad = await owner.post('/v1/refund-key/forgotten/confirm', {
      code: wrong(code),
      new_key: NEW_KEY,
      confirm_key: NEW_KEY,
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('KEY_RECOVERY_CODE_INVALID');
    expect(bad.body.error.attempts_left).toBe(4);
    expect(await t.changedSince(afterSend)).toEqual([]);
    // The old key still works: nothing was replaced.
    expect((await refundWith(m.demo.refund_key)).body.status).toBe('succeeded');
  });

  it('the right code and a new key: the old key is refused on every terminal, owners and managers are told', async () => {
    const other = await person(t, m.demo.merchant_id, 'owner');
    t.clock.advance(1_000); // the newest code is told apart from the earlier one by its time
    await owner.reauth();
    expect((await owner.post('/v1/refund-key/forgotten', {})).status).toBe(202);
    const code = await newestSecret(t, phone(), TEMPLATE);
    // 10 simultaneous submissions of the right code: exactly one key change.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        owner.post('/v1/refund-key/forgotten/confirm', { code, new_key: NEW_KEY, confirm_key: NEW_KEY }),
      ),
    );
    const outcome = tally(answers);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ '200': 1 });
    // The others find the code used (counted as wrong), or no code left, or the check locked by then.
    const allowed = ['200', '401 KEY_RECOVERY_CODE_INVALID', '409 KEY_RECOVERY_NOT_STARTED', '423 KEY_RECOVERY_LOCKED'];
    expect(Object.keys(outcome).filter((k) => !allowed.includes(k))).toEqual([]);
    const keys = await t.db
      .selectFrom('refund_keys')
      .select('id')
      .where('merchant_id', '=', m.demo.merchant_id)
      .where('retired_at', 'is', null)
      .execute();
    expect(keys).toHaveLength(1);

    for (const pos of m.terminals) {
      const sale = await pos.sale(500);
      const created = await pos.post('/v1/refunds', { sale_id: sale.id, amount: 500, reason: 'x' });
      const old = await pos.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: m.demo.refund_key });
      expect(old.status).toBe(422);
      expect(old.body.error.code).toBe('REFUND_KEY_INVALID');
      const fresh = await pos.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: NEW_KEY });
      expect(fresh.body.status).toBe('succeeded');
    }
    for (const recipient of [other.phone, other.email, m.demo.manager.login]) {
      const told = await t.services.outbox.listFor(recipient, 50);
      expect(told.some((row) => row.template === 'refund_key_changed')).toBe(true);
    }
    // The code is used: it cannot set another key.
    const again = await owner.post('/v1/refund-key/forgotten/confirm', {
      code,
      new_key: OTHER_KEY,
      confirm_key: OTHER_KEY,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('KEY_RECOVERY_NOT_STARTED');
    expect(await auditEvents('refund_key.recovery_requested')).toContain('success');
    expect(await auditEvents('refund_key.recovered')).toEqual(expect.arrayContaining(['success', 'failure']));
    expect(await auditEvents('refund_key.recovery_code')).toContain('failure');
    expect((await messagesTo(t, phone(), TEMPLATE)).length).toBeGreaterThanOrEqual(2);
  });

  it('a burst of 50 wrong codes plus the right one gets at most 5 checks, then locks with the same answer', async () => {
    t.clock.advance(16 * 60_000); // past the lock the previous burst may have left
    owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    await owner.reauth();
    expect((await owner.post('/v1/refund-key/forgotten', {})).status).toBe(202);
    const code = await newestSecret(t, phone(), TEMPLATE);
    const burst = [...Array.from({ length: 50 }, (_, i) => wrong(code, (i % 9) + 1)), code].map((c) =>
      owner.post('/v1/refund-key/forgotten/confirm', { code: c, new_key: OTHER_KEY, confirm_key: OTHER_KEY }),
    );
    const answers = await Promise.all(burst);
    const codes = answers.map((a) => (a.status === 200 ? 'ok' : a.body.error.code));
    expect(Object.keys(tally(answers)), JSON.stringify(tally(answers))).not.toContain('500');
    const invalid = codes.filter((c) => c === 'KEY_RECOVERY_CODE_INVALID').length;
    const ok = codes.filter((c) => c === 'ok').length;
    expect(invalid + ok).toBeLessThanOrEqual(5);
    // The rest are refused unchecked: locked, or turned away by a busy hashing pool (the new key's rules), counted never.
    const refusedUnchecked = codes.filter((c) => c === 'KEY_RECOVERY_LOCKED' || c === 'BUSY').length;
    expect(refusedUnchecked, JSON.stringify(tally(answers))).toBe(51 - invalid - ok);
    expect(codes.filter((c) => c === 'KEY_RECOVERY_LOCKED').length).toBeGreaterThan(0);
    const locked = answers.find((a) => a.status === 423);
    expect(locked?.body.error.retry_after_s).toBeGreaterThan(0);
    if (ok === 0) {
      // Locked: even the right code is refused, and nothing changes.
      const before = await t.checksum();
      const right = await owner.post('/v1/refund-key/forgotten/confirm', {
        code,
        new_key: OTHER_KEY,
        confirm_key: OTHER_KEY,
      });
      expect(right.status).toBe(423);
      expect(right.body.error.code).toBe('KEY_RECOVERY_LOCKED');
      expect(await t.changedSince(before)).toEqual([]);
    }
  });

  it('codes sent are capped per owner (5 an hour), also under a burst', async () => {
    const fresh = await person(t, m.demo.merchant_id, 'owner');
    const client = await StaffClient.signIn(t, fresh.login, fresh.password);
    await client.reauth();
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.post('/v1/refund-key/forgotten', {})));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(5);
    const refused = answers.filter((a) => a.status !== 202);
    expect(refused.every((a) => a.status === 429 && a.body.error.code === 'KEY_RECOVERY_SEND_LIMIT')).toBe(true);
    expect((await messagesTo(t, fresh.phone, TEMPLATE)).length).toBe(5);
  });
});
