// Issue 13 item 7: a merchant's notification recipients (phones, e-mails) besides its staff. The owner adds one, a
// one-time code goes to it over its own channel, and it receives approval requests only after the code came back
// (docs/security.md: codes HMACed, 5 wrong guesses burn a code, each guess claimed before it is checked, at most 3
// codes; owner only, re-authenticated, audited; every refusal changes nothing).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecipientErrors } from '../../src/modules/recipients/recipients.errors.js';
import { codeOf, startRefund, WITH_APPROVAL, wrongCode } from '../authorization/authz-helpers.js';
import { messagesTo, newestSecret } from '../mfa/mfa-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../support/test-app.js';

let seq = 0;
const newPhone = () => `1370${String(process.pid % 10_000).padStart(4, '0')}${String(++seq).padStart(3, '0')}`;

describe.each(DIALECTS)('notification recipients [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let other: SeededMerchant;
  let owner: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    [m, other] = [await t.seedMerchant(), await t.seedMerchant()];
    owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
  });
  afterAll(async () => t?.close());

  /** A refund above ¥2,000 with key and code entered: the approvers are asked now. */
  async function pendingApproval() {
    const refund = await startRefund(m.terminal, WITH_APPROVAL);
    const answer = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(t, refund.id),
    });
    expect(answer.body.status).toBe('pending_approval');
    return refund.id;
  }
  const approvalsTo = async (address: string, refundId: string) =>
    (await messagesTo(t, address, 'approval_requested')).filter((r) => r.params.refund_id === refundId);

  it('a phone gets a code, is used only once confirmed, and gets the approval requests from then on', async () => {
    const phone = newPhone();
    const added = await owner.post('/v1/notification-recipients', {
      channel: 'sms',
      address: phone,
      label: '财务 王女士',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({
      object: 'notification_recipient',
      channel: 'sms',
      address: phone,
      status: 'pending',
    });
    const code = await newestSecret(t, phone, 'recipient_verification');
    t.secrets.add('recipient code', code);
    expect(code).toMatch(/^\d{6}$/);
    const stored = await t.db
      .selectFrom('notification_recipients')
      .selectAll()
      .where('id', '=', added.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(code);

    // Not confirmed yet: an approval request does not go there.
    expect(await approvalsTo(phone, await pendingApproval())).toHaveLength(0);

    const wrong = await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code: wrongCode(code) });
    expect([wrong.status, wrong.body.error.code, wrong.body.error.attempts_left]).toEqual([
      422,
      'RECIPIENT_CODE_INVALID',
      4,
    ]);
    const confirmed = await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('verified');
    // Used once: the same code again is refused.
    const again = await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code });
    expect([again.status, again.body.error.code]).toEqual([409, 'RECIPIENT_ALREADY_VERIFIED']);

    expect(await approvalsTo(phone, await pendingApproval())).toHaveLength(1);
    const list = await owner.get('/v1/notification-recipients');
    expect(list.body.data.map((r: { address: string; status: string }) => [r.address, r.status])).toContainEqual([
      phone,
      'verified',
    ]);
    const events = await t.db
      .selectFrom('audit_log')
      .select(['event', 'outcome'])
      .where('object_id', '=', added.body.id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { event: 'notification_recipient.added', outcome: 'success' },
      { event: 'notification_recipient.code_refused', outcome: 'failure' },
      { event: 'notification_recipient.verified', outcome: 'success' },
    ]);

    // Removed (re-authenticated): no more requests.
    const removed = await owner.post(`/v1/notification-recipients/${added.body.id}/remove`, {});
    expect(removed.status).toBe(204);
    expect(await approvalsTo(phone, await pendingApproval())).toHaveLength(0);
    expect(
      (await owner.get('/v1/notification-recipients')).body.data.some((r: { id: string }) => r.id === added.body.id),
    ).toBe(false);
  });

  it('an e-mail address gets its code by e-mail, in English when asked', async () => {
    const email = `finance-${++seq}-${process.pid}@example.com`;
    const added = await owner.post('/v1/notification-recipients', {
      channel: 'email',
      address: email.toUpperCase(),
      label: 'Finance',
      locale: 'en',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.address).toBe(email);
    const [message] = await messagesTo(t, email, 'recipient_verification');
    expect(message?.row.channel).toBe('email');
    expect(message?.row.locale).toBe('en');
    const confirmed = await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, {
      code: String(message?.params.code),
    });
    expect(confirmed.body.status).toBe('verified');
  });

  it('a verified recipient is also told when a terminal locks its refunds', async () => {
    const email = `security-${++seq}-${process.pid}@example.com`;
    const added = await owner.post('/v1/notification-recipients', {
      channel: 'email',
      address: email,
      label: 'Security',
    });
    const code = await newestSecret(t, email, 'recipient_verification');
    expect((await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code })).body.status).toBe(
      'verified',
    );
    const terminal = m.terminals[1];
    if (!terminal) throw new Error('the demo merchant has one terminal');
    const refund = await startRefund(terminal, 1_000);
    for (let i = 0; i < 5; i++) {
      await terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: `Wrong-key-${i}-Quill` });
    }
    const alerts = await messagesTo(t, email, 'refund_lockout');
    expect(alerts.map((a) => [a.row.channel, a.params.scope])).toEqual([['email', 'terminal']]);
  });

  it('a burst of wrong codes gets 5 checks, then the code is burned and the right one is refused too', async () => {
    const phone = newPhone();
    const added = await owner.post('/v1/notification-recipients', { channel: 'sms', address: phone, label: 'burst' });
    const code = await newestSecret(t, phone, 'recipient_verification');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code: wrongCode(code, (i % 9) + 1) }),
      ),
    );
    const codes = answers.map((a) => `${a.status} ${a.body.error.code}`);
    expect(codes.filter((c) => c === '422 RECIPIENT_CODE_INVALID').length).toBeLessThanOrEqual(5);
    expect(codes.every((c) => c === '422 RECIPIENT_CODE_INVALID' || c === '423 RECIPIENT_CODE_BURNED')).toBe(true);
    const right = await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code });
    expect([right.status, right.body.error.code]).toEqual([423, 'RECIPIENT_CODE_BURNED']);
    const row = await t.db
      .selectFrom('notification_recipients')
      .selectAll()
      .where('id', '=', added.body.id)
      .executeTakeFirstOrThrow();
    expect([row.status, Number(row.code_attempts)]).toEqual(['pending', 5]);
  });

  it('100 simultaneous wrong codes with the right one among them: at most 5 checked, the right one wins only inside them', async () => {
    const phone = newPhone();
    const added = await owner.post('/v1/notification-recipients', { channel: 'sms', address: phone, label: 'burst+1' });
    const code = await newestSecret(t, phone, 'recipient_verification');
    const guesses = Array.from({ length: 100 }, (_, i) => wrongCode(code, (i % 9) + 1));
    guesses.splice(50, 0, code);
    const answers = await Promise.all(
      guesses.map((guess) => owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code: guess })),
    );
    const outcomes = answers.map((a) => (a.status === 200 ? '200' : `${a.status} ${a.body.error.code}`));
    const allowed = [
      '200',
      '422 RECIPIENT_CODE_INVALID',
      '423 RECIPIENT_CODE_BURNED',
      '409 RECIPIENT_ALREADY_VERIFIED',
    ];
    expect(outcomes.filter((o) => !allowed.includes(o))).toEqual([]);
    const row = await t.db
      .selectFrom('notification_recipients')
      .selectAll()
      .where('id', '=', added.body.id)
      .executeTakeFirstOrThrow();
    // Every check was claimed first: never more than 5, whatever the order the burst arrived in.
    expect(Number(row.code_attempts)).toBeLessThanOrEqual(5);
    const wins = outcomes.filter((o) => o === '200').length;
    expect(wins).toBe(row.status === 'verified' ? 1 : 0);
    if (row.status !== 'verified') expect(Number(row.code_attempts)).toBe(5);
    // The right answer is the only one that can verify: no wrong guess ever did.
    expect(answers.every((a, i) => a.status !== 200 || guesses[i] === code)).toBe(true);
  });

  it('a new code replaces the old one (wrong guesses still count), at most 3 codes', async () => {
    const phone = newPhone();
    const added = await owner.post('/v1/notification-recipients', { channel: 'sms', address: phone, label: 'resend' });
    const first = await newestSecret(t, phone, 'recipient_verification');
    t.clock.advance(1_000);
    expect((await owner.post(`/v1/notification-recipients/${added.body.id}/resend`, {})).status).toBe(200);
    t.clock.advance(1_000);
    expect((await owner.post(`/v1/notification-recipients/${added.body.id}/resend`, {})).status).toBe(200);
    const third = await newestSecret(t, phone, 'recipient_verification');
    const before = await t.checksum();
    const fourth = await owner.post(`/v1/notification-recipients/${added.body.id}/resend`, {});
    expect([fourth.status, fourth.body.error.code]).toEqual([429, 'RECIPIENT_CODE_LIMIT']);
    expect(await t.changedSince(before)).toEqual([]);
    if (first !== third) {
      const old = await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code: first });
      expect([old.status, old.body.error.code]).toEqual([422, 'RECIPIENT_CODE_INVALID']);
    }
    const ok = await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code: third });
    expect(ok.body.status).toBe('verified');
  });

  it('every error code is in the errors table of docs/api.md with its status', () => {
    if (dialect !== DIALECTS[0]) return; // the document does not depend on the database
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const [code, spec] of Object.entries(RecipientErrors))
      expect(doc).toContain(`| \`${code}\` | ${spec.status} |`);
  });

  it('an expired code is refused; refusals (role, other merchant, duplicate, stale re-authentication) change nothing', async () => {
    const phone = newPhone();
    const added = await owner.post('/v1/notification-recipients', { channel: 'sms', address: phone, label: 'late' });
    const code = await newestSecret(t, phone, 'recipient_verification');
    t.clock.advance(10 * 60_000);
    let before = await t.checksum();
    const late = await owner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code });
    expect([late.status, late.body.error.code]).toEqual([422, 'RECIPIENT_CODE_INVALID']);

    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const theirOwner = await StaffClient.signIn(t, other.demo.owner.login, other.demo.owner.password);
    const fresh = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    before = await t.checksum();
    const refusals = [
      await manager.get('/v1/notification-recipients'),
      await manager.post('/v1/notification-recipients', { channel: 'sms', address: newPhone(), label: 'x' }),
      await theirOwner.post(`/v1/notification-recipients/${added.body.id}/confirm`, { code }),
      await theirOwner.post(`/v1/notification-recipients/${added.body.id}/remove`, {}),
      await fresh.post('/v1/notification-recipients', { channel: 'sms', address: phone, label: 'again' }),
      await fresh.post('/v1/notification-recipients', { channel: 'sms', address: '12', label: 'bad' }),
    ];
    expect(refusals.map((a) => `${a.status} ${a.body?.error?.code}`)).toEqual([
      '403 FORBIDDEN',
      '403 FORBIDDEN',
      '404 RECIPIENT_NOT_FOUND',
      '404 RECIPIENT_NOT_FOUND',
      '409 RECIPIENT_EXISTS',
      '400 VALIDATION_FAILED',
    ]);
    expect((await theirOwner.get('/v1/notification-recipients')).body.data).toEqual([]);
    t.clock.advance(6 * 60_000); // the sign-in is older than 5 minutes now
    const stale = await fresh.post(`/v1/notification-recipients/${added.body.id}/remove`, {});
    expect([stale.status, stale.body.error.code]).toEqual([401, 'REAUTH_REQUIRED']);
    expect(await t.changedSince(before)).toEqual([]);
  });
});
