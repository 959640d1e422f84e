// docs/security.md "Attempt limits": per terminal 5 consecutive wrong keys lock it for 30 min (PSD2 Art. 4);
// per merchant 10 failures in 30 min lock all its refunds for 30 min and alert the owner (PCI DSS 8.3.4); while locked
// a correct key gets the same 423 with retry_after_s; counted in the database, shared by several instances (Keycloak #31726).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/logger.js';
import { createRefundkey, type Refundkey } from '../../src/main.js';
import { DIALECTS } from '../support/databases.js';
import { useProductionHashCost } from '../support/hash-cost.js';
import { StaffClient } from '../support/staff-client.js';
import { type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';
import { codeOf, KEY_AND_CODE, OWNER_PHONE, startRefund, wrongCode } from './authz-helpers.js';

// Lockouts race the attempt count against real Argon2id verifications, as in production.
useProductionHashCost();

const THIRTY_MIN = 30 * 60_000;

function terminalsOf(m: SeededMerchant): [TerminalClient, TerminalClient, TerminalClient, TerminalClient] {
  const [a, b, c, d] = m.terminals;
  if (!a || !b || !c || !d) throw new Error('the seed has 4 terminals');
  return [a, b, c, d];
}

describe.each(DIALECTS)('refund key lockout [%s]', (dialect) => {
  let t: TestApp;
  let second: Refundkey;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    // A second instance on the same database, as behind a load balancer.
    const config = loadConfig({ DATABASE_URL: t.services.config.databaseUrl, NODE_ENV: 'test' });
    second = await createRefundkey(config, { clock: t.clock, log: createLogger({ level: 'silent' }), migrate: false });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const authorize = (terminal: TerminalClient, id: string, body: Record<string, unknown>) =>
    terminal.post(`/v1/refunds/${id}/authorize`, body);

  it('5 wrong keys on one terminal, across two instances, lock that terminal; the right key gets the same 423; another terminal works', async () => {
    const m = await t.seedMerchant();
    const [a, b] = terminalsOf(m);
    const refund = await startRefund(a, 5_000);
    for (let i = 1; i <= 4; i++) {
      const url = `/v1/refunds/${refund.id}/authorize`;
      // Alternate instances: the count lives in the database, not in one process.
      const answer =
        i % 2 === 0
          ? await second.server
              .inject({
                method: 'POST',
                url,
                headers: { ...a.headers(), 'content-type': 'application/json' },
                payload: JSON.stringify({ refund_key: 'wrong-key-123' }),
              })
              .then((r) => ({ status: r.statusCode, body: r.json() }))
          : await authorize(a, refund.id, { refund_key: 'wrong-key-123' });
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'REFUND_KEY_INVALID', attempts_left: 5 - i });
    }
    const beforeFifth = await t.checksum();
    const fifth = await authorize(a, refund.id, { refund_key: 'wrong-key-123' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.error.code).toBe('REFUNDS_LOCKED');
    // The refusal that locks queues the owner's alert (docs/security.md), and changes nothing else.
    expect(await t.changedSince(beforeFifth)).toEqual(['outbox']);
    const beforeRight = await t.checksum();
    const right = await authorize(a, refund.id, { refund_key: m.demo.refund_key });
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('REFUNDS_LOCKED');
    expect(await t.changedSince(beforeRight)).toEqual([]);
    expect(right.body.error.retry_after_s).toBe(1800);
    // The same answer on the other instance, and for a new refund on that terminal.
    const beforeViaSecond = await t.checksum();
    const viaSecond = await second.server.inject({
      method: 'POST',
      url: `/v1/refunds/${refund.id}/authorize`,
      headers: { ...a.headers(), 'content-type': 'application/json' },
      payload: JSON.stringify({ refund_key: m.demo.refund_key }),
    });
    expect(viaSecond.statusCode).toBe(423);
    expect(await t.changedSince(beforeViaSecond)).toEqual([]);
    const sale = await a.sale(1_000);
    expect((await a.post('/v1/refunds', { sale_id: sale.id, amount: 1_000, reason: 'x' })).status).toBe(423);

    const elsewhere = await startRefund(b, 5_000);
    expect((await authorize(b, elsewhere.id, { refund_key: m.demo.refund_key })).body.status).toBe('succeeded');

    t.clock.advance(THIRTY_MIN - 60_000);
    expect((await authorize(a, refund.id, { refund_key: m.demo.refund_key })).status).toBe(409); // expired after 15 min
    const stillLocked = await startRefund(b, 1_000);
    expect(stillLocked.status).toBe('requires_authorization');
    const retrySale = await a.sale(1_000);
    const beforeRetry = await t.checksum();
    const retry = await a.post('/v1/refunds', { sale_id: retrySale.id, amount: 1_000, reason: 'x' });
    expect(retry.status).toBe(423);
    expect(retry.body.error.code).toBe('REFUNDS_LOCKED');
    expect(await t.changedSince(beforeRetry)).toEqual([]);
    expect(retry.body.error.retry_after_s).toBe(60);
    t.clock.advance(60_000);
    const after = await startRefund(a, 5_000);
    expect((await authorize(a, after.id, { refund_key: m.demo.refund_key })).body.status).toBe('succeeded');
  });

  it('a correct key resets the run of consecutive wrong keys', async () => {
    const m = await t.seedMerchant();
    const [a] = terminalsOf(m);
    for (let round = 0; round < 2; round++) {
      const refund = await startRefund(a, 5_000);
      for (let i = 0; i < 4; i++)
        expect((await authorize(a, refund.id, { refund_key: 'nope-nope-1' })).status).toBe(422);
      expect((await authorize(a, refund.id, { refund_key: m.demo.refund_key })).body.status).toBe('succeeded');
    }
  });

  it('10 failures across terminals in 30 min lock the whole merchant and alert the owner; the lock ends after 30 min', async () => {
    const m = await t.seedMerchant();
    const [a, b, c, d] = terminalsOf(m);
    const failures: Array<Promise<unknown>> = [];
    const own = new Map<TerminalClient, string>();
    for (const terminal of [a, b, c]) {
      const refund = await startRefund(terminal, 5_000);
      own.set(terminal, refund.id);
      for (let i = 0; i < 3; i++) failures.push(authorize(terminal, refund.id, { refund_key: `wrong-${i}-key` }));
    }
    // The 10th failure is a wrong one-time code on the fourth terminal, counted concurrently with the others.
    const coded = await startRefund(d, KEY_AND_CODE);
    own.set(d, coded.id);
    failures.push(authorize(d, coded.id, { code: wrongCode(await codeOf(t, coded.id)) }));
    await Promise.all(failures);

    const lock = await t.db
      .selectFrom('attempt_limits')
      .selectAll()
      .where('scope', '=', `refund_auth:${m.demo.merchant_id}`)
      .executeTakeFirstOrThrow();
    expect(Number(lock.locked_until)).toBe(t.clock.now() + THIRTY_MIN);
    // Past the 10th failure: on every terminal, its own refund answers the right key exactly like a wrong one.
    for (const terminal of [a, b, c, d]) {
      const id = own.get(terminal) as string;
      const beforeRight = await t.checksum();
      const right = await authorize(terminal, id, { refund_key: m.demo.refund_key });
      const wrong = await authorize(terminal, id, { refund_key: 'wrong-again-key' });
      expect(right.status).toBe(423);
      expect(right.body.error.code).toBe('REFUNDS_LOCKED');
      expect(await t.changedSince(beforeRight)).toEqual([]);
      const { request_id: _a, ...wrongError } = wrong.body.error;
      const { request_id: _b, ...rightError } = right.body.error;
      expect(wrongError).toEqual(rightError);
    }
    const freshSale = await d.sale(1_000);
    const beforeFresh = await t.checksum();
    const fresh = await d.post('/v1/refunds', { sale_id: freshSale.id, amount: 1_000, reason: 'x' });
    expect(fresh.status).toBe(423);
    expect(fresh.body.error.code).toBe('REFUNDS_LOCKED');
    expect(await t.changedSince(beforeFresh)).toEqual([]);

    const alerts = (await t.services.outbox.listFor(undefined, 500)).filter(
      (r) => r.template === 'refund_lockout' && r.merchant_id === m.demo.merchant_id,
    );
    expect(alerts.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
    expect(alerts.map((r) => r.recipient)).toEqual(expect.arrayContaining([OWNER_PHONE, m.demo.owner.login]));
    expect(alerts.every((r) => t.services.outbox.parameters(r).scope === 'merchant')).toBe(true);

    t.clock.advance(THIRTY_MIN);
    const after = await startRefund(b, 5_000);
    expect((await authorize(b, after.id, { refund_key: m.demo.refund_key })).body.status).toBe('succeeded');
  });

  it('the owner can end a lock early with a fresh re-authentication; a manager cannot', async () => {
    const m = await t.seedMerchant();
    const [a] = terminalsOf(m);
    const refund = await startRefund(a, 5_000);
    for (let i = 0; i < 5; i++) await authorize(a, refund.id, { refund_key: 'wrong-key-xyz' });
    expect((await authorize(a, refund.id, { refund_key: m.demo.refund_key })).status).toBe(423);

    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    await manager.reauth();
    expect((await manager.post(`/v1/terminals/${a.id}/refund-lock/unlock`)).status).toBe(403);
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    t.clock.advance(6 * 60_000); // the login is no longer a fresh authentication
    const beforeStale = await t.checksum();
    const stale = await owner.post(`/v1/terminals/${a.id}/refund-lock/unlock`);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('REAUTH_REQUIRED');
    expect(await t.changedSince(beforeStale)).toEqual([]);
    await owner.reauth();
    const other = await t.seedMerchant();
    expect((await owner.post(`/v1/terminals/${other.terminal.id}/refund-lock/unlock`)).status).toBe(404);
    expect((await owner.post(`/v1/merchants/${other.demo.merchant_id}/refund-lock/unlock`)).status).toBe(404);
    const unlocked = await owner.post(`/v1/terminals/${a.id}/refund-lock/unlock`);
    expect(unlocked.status).toBe(200);
    expect((await owner.post(`/v1/merchants/${m.demo.merchant_id}/refund-lock/unlock`)).status).toBe(200);
    const after = await startRefund(a, 5_000);
    expect((await authorize(a, after.id, { refund_key: m.demo.refund_key })).body.status).toBe('succeeded');
  });
});
