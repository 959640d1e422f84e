// docs/security.md "Passwords and refund keys": refund key 8..128 characters with the common-password/strength check,
// different from the holder's login password and the last 4 keys; policy `pin` 6..12 digits, no runs, no repeats,
// not a weak PIN; changing the key needs re-authentication ≤ 5 min old and notifies the owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/databases.js';
import { outcome, tally } from '../../../test/support/outcomes.js';
import { StaffClient } from '../../../test/support/staff-client.js';
import { type SeededMerchant, TestApp } from '../../../test/support/test-app.js';

describe.each(DIALECTS)('refund key rules [%s]', (dialect) => {
  let t: TestApp;
  let m: SeededMerchant;
  let owner: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    m = await t.seedMerchant();
    owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
  });
  afterAll(async () => t?.close());

  const setKey = (body: Record<string, unknown>) => owner.post('/v1/refund-key', body);

  it('refuses a confirmation that does not match', async () => {
    const answer = await setKey({ new_key: 'Vermilion-Otter-2291', confirm_key: 'Vermilion-Otter-2292' });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('KEY_CONFIRMATION_MISMATCH');
  });

  it('refuses a weak or too short key with reasons', async () => {
    const weak = await setKey({ new_key: 'password123', confirm_key: 'password123' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('REFUND_KEY_TOO_WEAK');
    expect(weak.body.error.reasons.length).toBeGreaterThan(0);
    const short = await setKey({ new_key: 'Xq7#kP2', confirm_key: 'Xq7#kP2' });
    expect(short.body.error.reasons.map((r: { code: string }) => r.code)).toContain('TOO_SHORT');
    // The reasons speak the language of the error (issue 10, 15): Chinese by default, English on request.
    expect(short.body.error.reasons[0].message).toMatch(/^[^/]*[\u4e00-\u9fff][^/]*$/);
    const english = await owner.post(
      '/v1/refund-key',
      { new_key: 'Xq7#kP2', confirm_key: 'Xq7#kP2' },
      { headers: { 'accept-language': 'en' } },
    );
    expect(english.body.error.message).toBe('The refund key is too weak');
    expect(english.body.error.reasons[0].message).toMatch(/^[^\u4e00-\u9fff]*[A-Za-z][^\u4e00-\u9fff]*$/);
  });

  it('gives strength feedback without storing anything', async () => {
    const weak = await owner.post('/v1/refund-key/strength', { key: 'qwertyuiop' });
    expect(weak.status).toBe(200);
    expect(weak.body.acceptable).toBe(false);
    expect(weak.body.reasons[0].message).toMatch(/^[^/]*[\u4e00-\u9fff][^/]*$/);
    const english = await owner.post(
      '/v1/refund-key/strength',
      { key: 'qwertyuiop' },
      { headers: { 'accept-language': 'en-GB,en;q=0.8' } },
    );
    expect(english.body.reasons[0].message).toMatch(/^[^\u4e00-\u9fff]*[A-Za-z][^\u4e00-\u9fff]*$/);
    const strong = await owner.post('/v1/refund-key/strength', { key: 'Vermilion-Otter-Harbor-2291' });
    expect(strong.body).toMatchObject({ acceptable: true, reasons: [] });
    const pin = await owner.post('/v1/refund-key/strength', { policy: 'pin', key: '123456' });
    expect(pin.body.reasons[0].code).toBe('PIN_SEQUENCE');
  });

  it('refuses the holder’s own login password as refund key', async () => {
    const answer = await setKey({ new_key: m.demo.owner.password, confirm_key: m.demo.owner.password });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('REFUND_KEY_EQUALS_LOGIN_PASSWORD');
  });

  // Regression: keys saved in the same millisecond were ordered by random id, so "the last 4" picked the wrong ones.
  it('refuses any of the last 4 keys, accepts the 5th-last again', async () => {
    const keys = ['Amber-Falcon-7731', 'Basalt-Heron-6620', 'Cobalt-Ibis-5519', 'Dune-Jackal-4408', 'Ember-Koala-3397'];
    for (const key of keys) expect((await setKey({ new_key: key, confirm_key: key })).status).toBe(200);
    for (const key of keys.slice(1)) {
      const again = await setKey({ new_key: key, confirm_key: key });
      expect(again.status).toBe(422);
      expect(again.body.error.code).toBe('REFUND_KEY_REUSED');
    }
    expect((await setKey({ new_key: keys[0], confirm_key: keys[0] })).status).toBe(200);
  });

  it('applies the pin policy: 6..12 digits, no runs, no repeats, no weak PINs', async () => {
    const refusals: Record<string, string> = {
      '12345': 'PIN_LENGTH',
      '1234567890123': 'PIN_LENGTH',
      '12a456': 'PIN_NOT_DIGITS',
      '123456': 'PIN_SEQUENCE',
      '987654': 'PIN_SEQUENCE',
      '111111': 'PIN_REPEAT',
      '121212': 'PIN_REPEAT',
      '520520': 'PIN_REPEAT',
      '147258': 'PIN_COMMON',
      '19880808': 'PIN_COMMON',
    };
    for (const [pin, code] of Object.entries(refusals)) {
      const answer = await setKey({ policy: 'pin', new_key: pin, confirm_key: pin });
      expect(answer.status, pin).toBe(422);
      expect(answer.body.error.reasons[0].code, pin).toBe(code);
    }
    const ok = await setKey({ policy: 'pin', new_key: '482915', confirm_key: '482915' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ scope: 'merchant', policy: 'pin', set: true, expired: false });
    expect(await t.services.refundKeys.status(m.demo.merchant_id, m.terminal.storeId)).toMatchObject({
      set: true,
      policy: 'pin',
    });
  });

  it('changes the key only with the right old key; the terminal then needs the new one', async () => {
    const wrong = await owner.post('/v1/refund-key/change', {
      old_key: '000000',
      new_key: 'Fjord-Lemur-2286',
      confirm_key: 'Fjord-Lemur-2286',
      policy: 'password',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('OLD_REFUND_KEY_INVALID');
    const changed = await owner.post('/v1/refund-key/change', {
      old_key: '482915',
      new_key: 'Fjord-Lemur-2286',
      confirm_key: 'Fjord-Lemur-2286',
      policy: 'password',
    });
    expect(changed.status).toBe(200);
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, m.terminal.storeId, 'Fjord-Lemur-2286')).toBe(true);
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, m.terminal.storeId, m.demo.refund_key)).toBe(false);
  });

  it('a store override guards only its store', async () => {
    const [storeA, storeB] = m.demo.stores;
    if (!storeA || !storeB) throw new Error('demo has two stores');
    const answer = await setKey({
      store_id: storeB.id,
      new_key: 'Glacier-Marmot-1175',
      confirm_key: 'Glacier-Marmot-1175',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ scope: 'store', store_id: storeB.id });
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, storeB.id, 'Glacier-Marmot-1175')).toBe(true);
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, storeA.id, 'Glacier-Marmot-1175')).toBe(false);
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, storeA.id, 'Fjord-Lemur-2286')).toBe(true);
    const overview = await owner.get('/v1/refund-key');
    expect(overview.body.data.map((s: { scope: string }) => s.scope).sort()).toEqual(['merchant', 'store']);
  });

  it('removing a store override falls back to the merchant-wide key', async () => {
    const storeB = m.demo.stores[1]?.id ?? '';
    const removed = await owner.post('/v1/refund-key/remove-override', { store_id: storeB });
    expect(removed.status).toBe(200);
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, storeB, 'Glacier-Marmot-1175')).toBe(false);
    expect(await t.services.refundKeys.verify(m.demo.merchant_id, storeB, 'Fjord-Lemur-2286')).toBe(true);
    expect((await owner.post('/v1/refund-key/remove-override', { store_id: storeB })).status).toBe(409);
  });

  it('the terminal authorizes refunds with the new key and refuses the old one', async () => {
    const sale = await m.terminal.sale(5_000);
    const refund = await m.terminal.post('/v1/refunds', { sale_id: sale.id, amount: 100, reason: 'key change test' });
    expect(refund.status).toBe(201);
    const old = await m.terminal.post(`/v1/refunds/${refund.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(outcome(old)).toBe('422 REFUND_KEY_INVALID');
    const done = await m.terminal.post(`/v1/refunds/${refund.body.id}/authorize`, { refund_key: 'Fjord-Lemur-2286' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('succeeded');
  });

  it('keeps exactly one active key per scope when two saves race', async () => {
    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    const answers = await Promise.all([
      owner.post('/v1/refund-key', { new_key: 'Nimbus-Orchid-Pylon-82', confirm_key: 'Nimbus-Orchid-Pylon-82' }),
      manager.post('/v1/refund-key', { new_key: 'Quasar-Reef-Sable-19', confirm_key: 'Quasar-Reef-Sable-19' }),
    ]);
    // Both saved one after the other, or the loser told it lost: nothing else, never a 5xx.
    expect(tally(answers)).toSatisfy(
      (t: Record<string, number>) =>
        t['200'] === 2 || (t['200'] === 1 && t['409 REFUND_KEY_CHANGED_CONCURRENTLY'] === 1),
    );
    expect(answers.some((a) => a.status === 200)).toBe(true);
    const active = await t.db
      .selectFrom('refund_keys')
      .selectAll()
      .where('merchant_id', '=', m.demo.merchant_id)
      .where('store_id', 'is', null)
      .where('retired_at', 'is', null)
      .execute();
    expect(active).toHaveLength(1);
  });

  it('notifies the owner of every change and audits it; refusals are audited too; no plain key is stored', async () => {
    const messages = await t.db.selectFrom('outbox').selectAll().where('template', '=', 'refund_key_changed').execute();
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.some((msg) => msg.recipient === m.demo.owner.login)).toBe(true);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', 'in', ['refund_key.set', 'refund_key.changed'])
      .execute();
    expect(audit.some((r) => r.outcome === 'success' && r.actor_type === 'user')).toBe(true);
    expect(audit.some((r) => r.outcome === 'failure' && r.detail.includes('REFUND_KEY_REUSED'))).toBe(true);
    const dump = JSON.stringify([await t.db.selectFrom('refund_keys').selectAll().execute(), messages, audit]);
    for (const secret of ['Fjord-Lemur-2286', 'Glacier-Marmot-1175', '482915']) expect(dump).not.toContain(secret);
  });
});
