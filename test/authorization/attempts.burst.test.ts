// docs/security.md "Attempt limits": every secret check claims its attempt before the secret is verified, in one
// conditional statement shared by every instance, so a burst of simultaneous guesses gets no more verifications than
// the limit, and the right secret is refused once the limit is crossed (Keycloak #31726; the Cognito parallel-guess
// report). Each check is attacked with 50 and 200 simultaneous wrong attempts plus the right one, split over two
// instances on one database, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/logger.js';
import { MINUTE } from '../../src/lib/clock.js';
import { createRefundkey, type Refundkey } from '../../src/main.js';
import type { AttemptRule } from '../../src/modules/attempts/attempt-rules.js';
import type { AttemptSubject } from '../../src/modules/attempts/attempts.service.js';
import { merchantRefundSubject, terminalKeySubject } from '../../src/modules/attempts/refund-locks.js';
import { createStaffUser } from '../auth/auth-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { useProductionHashCost } from '../support/hash-cost.js';
import { outcome } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { type Answer, type SeededMerchant, type TerminalClient, TestApp } from '../support/test-app.js';
import {
  codeOf,
  KEY_AND_CODE,
  ownerSession,
  setPolicy,
  startRefund,
  WITH_APPROVAL,
  wrongCode,
} from './authz-helpers.js';

// Bursts race the attempt count against real Argon2id verifications (≈ 11 ms each), as in production.
useProductionHashCost();

const BURSTS = [50, 200] as const;

describe.each(DIALECTS)('attempt limits under bursts [%s]', (dialect) => {
  let t: TestApp;
  let second: Refundkey;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    // A second instance on the same database, as behind a load balancer; it shares the test's clock.
    const config = loadConfig({ DATABASE_URL: t.services.config.databaseUrl, NODE_ENV: 'test' });
    second = await createRefundkey(config, { clock: t.clock, log: createLogger({ level: 'silent' }), migrate: false });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  // Two instances in one process on one SQLite file would block each other's event loop in SQLite's busy handler; the
  // two-process suite (test/reliability/scale-out.two-processes.test.ts) covers SQLite across processes.
  const split = dialect === 'postgres' ? 2 : 1;

  /** Send one request through instance `i % 2` on PostgreSQL, so every burst is split over both instances. */
  async function via(i: number, method: 'POST' | 'GET', url: string, headers: Record<string, string>, body?: unknown) {
    if (i % split === 0) return t.request(method, url, { headers, ...(body === undefined ? {} : { body }) });
    const r = await second.server.inject({
      method,
      url,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: r.statusCode, body: r.body ? r.json() : undefined, headers: r.headers } as Answer;
  }

  /** `n` wrong attempts and the right one last, all started at once. */
  function burst(n: number, send: (i: number, right: boolean) => Promise<Answer>): Promise<Answer[]> {
    return Promise.all(Array.from({ length: n + 1 }, (_, i) => send(i, i === n)));
  }

  /** An error body without its request id, which differs on every answer by design. */
  const sameness = (body: { error?: Record<string, unknown> } | undefined) => {
    const { request_id: _id, ...error } = body?.error ?? {};
    return { ...body, error };
  };
  const outcomes = (answers: Answer[]) => answers.map((a) => `${a.status} ${a.body?.error?.code ?? 'ok'}`);
  const count = (answers: Answer[], outcome: string) => outcomes(answers).filter((o) => o === outcome).length;

  async function auditCount(event: string, objectId: string, reason?: string): Promise<number> {
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('event', '=', event)
      .where('object_id', '=', objectId)
      .execute();
    return rows.filter((r) => reason === undefined || JSON.parse(r.detail).reason === reason).length;
  }

  it('the primitive: 20 trials of 200 simultaneous claims over two instances grant exactly the limit, then lock once', async () => {
    const rule: AttemptRule = {
      name: 'test_burst',
      limit: 5,
      windowMs: null,
      lockMs: 30 * MINUTE,
      successClears: true,
    };
    for (let trial = 0; trial < 20; trial++) {
      const subject: AttemptSubject = { rule, subject: `${dialect}-${trial}`, merchantId: null };
      const limiters = split === 2 ? [t.services.attempts, second.services.attempts] : [t.services.attempts];
      const claims = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (limiters[i % split] ?? t.services.attempts).claim([subject])),
      );
      const granted = claims.flatMap((c) => (c.ok ? [c.ticket] : []));
      expect(granted, `trial ${trial}`).toHaveLength(rule.limit);
      expect(granted.map((g) => g.claims[0]?.ordinal).sort()).toEqual([1, 2, 3, 4, 5]);
      for (const refused of claims.filter((c) => !c.ok))
        expect(refused).toMatchObject({ ok: false, retryAfterS: 1800 });
      // Every granted attempt turns out wrong: exactly one settlement starts the lock.
      const locked = await Promise.all(
        granted.map((ticket, i) => (limiters[i % split] ?? t.services.attempts).failed(ticket)),
      );
      expect(locked.filter((l) => l.length > 0)).toHaveLength(1);
      expect(await t.services.attempts.lockedFor([subject])).toBe(1800);
      expect((await (limiters.at(-1) ?? t.services.attempts).claim([subject])).ok).toBe(false);
    }
  });

  it('the primitive: a check that cannot answer (a busy hashing pool) gives its claim back', async () => {
    const rule: AttemptRule = { name: 'test_busy', limit: 2, windowMs: null, lockMs: MINUTE, successClears: true };
    const subject: AttemptSubject = { rule, subject: dialect, merchantId: null };
    const limiter = t.services.attempts;
    for (let i = 0; i < 5; i++) {
      const claim = await limiter.claim([subject]);
      if (!claim.ok) throw new Error('refused: a busy check was counted');
      await expect(
        limiter.verifying(claim.ticket, async () => {
          throw new Error('BUSY');
        }),
      ).rejects.toThrow('BUSY');
    }
    expect(await limiter.attemptsLeft(subject)).toBe(2);
  });

  it('the primitive: a success ends a run only when nothing else is being verified', async () => {
    const rule: AttemptRule = { name: 'test_run', limit: 3, windowMs: null, lockMs: MINUTE, successClears: true };
    const subject: AttemptSubject = { rule, subject: dialect, merchantId: null };
    const limiter = t.services.attempts;
    // In sequence: two wrong, one right → the run starts again.
    for (let i = 0; i < 2; i++) {
      const c = await limiter.claim([subject]);
      if (!c.ok) throw new Error('refused');
      await limiter.failed(c.ticket);
    }
    const right = await limiter.claim([subject]);
    if (!right.ok) throw new Error('refused');
    await limiter.succeeded(right.ticket);
    expect(await limiter.attemptsLeft(subject)).toBe(3);
    // Overlapping: a right one settles while two wrong ones are still being verified → it gives back only its own.
    const [a, b, c] = await Promise.all([limiter.claim([subject]), limiter.claim([subject]), limiter.claim([subject])]);
    if (!a?.ok || !b?.ok || !c?.ok) throw new Error('refused');
    await limiter.succeeded(a.ticket);
    expect(await limiter.attemptsLeft(subject)).toBe(1);
    await limiter.failed(b.ticket);
    await limiter.failed(c.ticket);
    expect(await limiter.attemptsLeft(subject)).toBe(1);
  });

  for (const n of BURSTS) {
    it(`refund key: ${n} wrong keys and the right one at once verify at most 5 wrong; once locked the right key is refused`, async () => {
      const m = await t.seedMerchant();
      const terminal = m.terminal;
      const refund = await startRefund(terminal, 5_000);
      const answers = await burst(n, (i, right) =>
        via(i, 'POST', `/v1/refunds/${refund.id}/authorize`, terminal.headers(), {
          refund_key: right ? m.demo.refund_key : `wrong-key-${i}`,
        }),
      );
      for (const o of outcomes(answers)) expect(o).toMatch(/^(200 ok|422 REFUND_KEY_INVALID|423 REFUNDS_LOCKED)$/);
      const wrongVerified = await auditCount('refund.key_wrong', refund.id);
      expect(wrongVerified).toBeLessThanOrEqual(5);
      expect(count(answers, '422 REFUND_KEY_INVALID')).toBeLessThanOrEqual(4);
      expect(count(answers, '423 REFUNDS_LOCKED')).toBeGreaterThanOrEqual(n - 5);
      // The right key came before the lock (the refund succeeded) or after it (refused like every other attempt, the
      // refund still waiting): one of these two, whichever the burst's order made it.
      const right = answers[n] as Answer;
      const state = (await terminal.get(`/v1/refunds/${refund.id}`)).body.status;
      expect([
        { right: '200', refund: 'succeeded', retry_after_s: undefined },
        { right: '423 REFUNDS_LOCKED', refund: 'requires_authorization', retry_after_s: 1800 },
      ]).toContainEqual({ right: outcome(right), refund: state, retry_after_s: right.body.error?.retry_after_s });

      // Past the limit: 5 wrong keys in sequence lock another terminal; a burst with the right key in it then
      // verifies nothing, and the right key is refused like every other attempt.
      const other = m.terminals[1] as TerminalClient;
      const later = await startRefund(other, 5_000);
      const wrongs: string[] = [];
      for (let i = 0; i < 5; i++)
        wrongs.push(outcome(await other.post(`/v1/refunds/${later.id}/authorize`, { refund_key: `wrong-${i}-key` })));
      expect(wrongs).toEqual([...Array(4).fill('422 REFUND_KEY_INVALID'), '423 REFUNDS_LOCKED']);
      expect(await auditCount('refund.key_wrong', later.id)).toBe(5);
      const lockedState = await t.checksum();
      const locked = await burst(n, (i, right) =>
        via(i, 'POST', `/v1/refunds/${later.id}/authorize`, other.headers(), {
          refund_key: right ? m.demo.refund_key : `wrong-key-${i}`,
        }),
      );
      expect(new Set(locked.map((a) => JSON.stringify([a.status, sameness(a.body)])))).toEqual(
        new Set([JSON.stringify([423, sameness((locked[0] as Answer).body)])]),
      );
      expect((locked[0] as Answer).body.error.code).toBe('REFUNDS_LOCKED');
      expect(locked).toHaveLength(n + 1);
      expect(await auditCount('refund.key_wrong', later.id)).toBe(5);
      expect(await t.changedSince(lockedState)).toEqual([]);
    });

    it(`one-time code: ${n} wrong codes and the right one at once count at most 5; a late right code is answered like a wrong one`, async () => {
      const m = await t.seedMerchant();
      const terminal = m.terminal;
      const refund = await startRefund(terminal, KEY_AND_CODE);
      const key = await terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key });
      expect(key.body.authorization.satisfied).toEqual(['refund_key']);
      const code = await codeOf(t, refund.id);
      const answers = await burst(n, (i, right) =>
        via(i, 'POST', `/v1/refunds/${refund.id}/authorize`, terminal.headers(), {
          code: right ? code : wrongCode(code, (i % 9) + 1),
        }),
      );
      for (const o of outcomes(answers)) expect(o).toMatch(/^(200 ok|422 CODE_INVALID|422 CODE_BURNED)$/);
      expect(await auditCount('refund.code_wrong', refund.id)).toBeLessThanOrEqual(5);
      // The right code came before the limit (the refund succeeded) or after it: then it was answered exactly like a
      // wrong code at that point, and nothing was refunded. One of these two, whichever the burst's order made it.
      const right = answers[n] as Answer;
      const after = await terminal.get(`/v1/refunds/${refund.id}`);
      const sale = await terminal.get(`/v1/sales/${refund.sale_id}`);
      const wrong = await terminal.post(`/v1/refunds/${refund.id}/authorize`, { code: wrongCode(code, 3) });
      expect([
        { right: '200', body: sameness(right.body), refund: 'succeeded', refunded: KEY_AND_CODE },
        { right: outcome(wrong), body: sameness(wrong.body), refund: 'requires_authorization', refunded: 0 },
      ]).toContainEqual({
        right: outcome(right),
        body: sameness(right.body),
        refund: after.body.status,
        refunded: sale.body.refunded_amount,
      });
    });

    it(`back-office login: ${n} wrong passwords and the right one at once verify at most 10; the rest answer 423`, async () => {
      const merchantId = (await t.services.merchants.createMerchant({ name: `burst ${n}` })).id;
      const user = await createStaffUser(t, merchantId, 'manager');
      const answers = await burst(n, (i, right) =>
        via(
          i,
          'POST',
          '/v1/auth/login',
          {},
          { login: user.login, password: right ? user.password : `wrong-pw-${i}-x` },
        ),
      );
      for (const o of outcomes(answers)) expect(o).toMatch(/^(200 ok|401 LOGIN_FAILED|423 LOGIN_LOCKED)$/);
      expect(count(answers, '401 LOGIN_FAILED')).toBeLessThanOrEqual(10);
      expect(count(answers, '423 LOGIN_LOCKED')).toBeGreaterThanOrEqual(n - 10);
      const after = await t.request('POST', '/v1/auth/login', { body: { login: user.login, password: user.password } });
      // Ten wrong passwords verified lock the login; fewer (the right one got a turn among the ten) leave it open.
      const failed = count(answers, '401 LOGIN_FAILED');
      expect(outcome(after)).toBe(failed === 10 ? '423 LOGIN_LOCKED' : '200');
    });

    it(`operator sign-in: ${n} wrong passwords and the right one at once verify at most 5, are audited, and alert the owner`, async () => {
      const m = await t.seedMerchant();
      const terminal = m.terminal;
      const operator = m.demo.stores[0]?.operators[0];
      if (!operator) throw new Error('demo store without operator');
      const headers = { authorization: `Bearer ${terminal.key}` };
      const answers = await burst(n, (i, right) =>
        via(i, 'POST', '/v1/operator-sessions', headers, {
          operator_no: operator.operator_no,
          password: right ? operator.password : `${100000 + i}`,
        }),
      );
      for (const o of outcomes(answers))
        expect(o).toMatch(/^(201 ok|401 OPERATOR_CREDENTIALS_INVALID|423 OPERATOR_LOCKED)$/);
      const failed = await auditCount('operator.sign_in', terminal.id, 'bad_credentials');
      expect(failed).toBeLessThanOrEqual(5);
      expect(await auditCount('operator.sign_in', terminal.id, 'locked')).toBeGreaterThanOrEqual(n - 5);
      // Five wrong passwords verified lock the number and alert the owner; fewer (the right one got a turn among the
      // five) leave it open, with no alert.
      const right = await terminal.post('/v1/operator-sessions', {
        operator_no: operator.operator_no,
        password: operator.password,
      });
      expect(outcome(right)).toBe(failed === 5 ? '423 OPERATOR_LOCKED' : '201');
      expect(right.body.error?.retry_after_s).toBe(failed === 5 ? 900 : undefined);
      const alerts = (await t.services.outbox.listFor(undefined, 1000)).filter(
        (r) => r.template === 'operator_lockout' && r.merchant_id === m.demo.merchant_id,
      );
      expect(alerts.map((r) => r.channel).sort()).toEqual(failed === 5 ? ['email', 'sms'] : []);
      // The owner reads the brute force in the audit log.
      const owner = await ownerSession(t, m.demo);
      const audit = await owner.get(`/v1/audit?event=operator.sign_in&object_id=${terminal.id}&limit=500`);
      expect(audit.status).toBe(200);
      expect(audit.body.data.length).toBeGreaterThanOrEqual(n);
    });

    it(`refund key change: ${n} wrong old keys and the right one at once verify at most 5`, async () => {
      const m = await t.seedMerchant();
      const owner = await ownerSession(t, m.demo);
      const newKey = `Harbor-Willow-${n}-Quartz!`;
      const answers = await burst(n, (i, right) =>
        via(i, 'POST', '/v1/refund-key/change', owner.headers(), {
          old_key: right ? m.demo.refund_key : `wrong-old-${i}-key`,
          new_key: newKey,
          confirm_key: newKey,
        }),
      );
      for (const o of outcomes(answers))
        expect(o).toMatch(/^(200 ok|422 OLD_REFUND_KEY_INVALID|423 KEY_CHANGE_LOCKED)$/);
      expect(count(answers, '422 OLD_REFUND_KEY_INVALID')).toBeLessThanOrEqual(5);
      expect(count(answers, '423 KEY_CHANGE_LOCKED')).toBeGreaterThanOrEqual(n - 5);
    });
  }

  it('operator sign-in locks after 5 wrong passwords for 15 minutes; a manager of the store unlocks it, audited', async () => {
    const m = await t.seedMerchant();
    const terminal = m.terminal;
    const operator = m.demo.stores[0]?.operators[0];
    if (!operator) throw new Error('demo store without operator');
    const signIn = (password: string) =>
      terminal.post('/v1/operator-sessions', { operator_no: operator.operator_no, password });
    for (let i = 1; i <= 4; i++) {
      const wrong = await signIn('000000');
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toMatchObject({ code: 'OPERATOR_CREDENTIALS_INVALID', attempts_left: 5 - i });
    }
    expect(outcome(await signIn('000000'))).toBe('423 OPERATOR_LOCKED');
    const locked = await t.checksum();
    const rightWhileLocked = await signIn(operator.password);
    expect(rightWhileLocked.status).toBe(423);
    expect(rightWhileLocked.body.error).toMatchObject({ code: 'OPERATOR_LOCKED', retry_after_s: 900 });
    expect(await t.changedSince(locked)).toEqual([]);
    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    await manager.reauth();
    const unlocked = await manager.post(`/v1/terminals/${terminal.id}/operator-lock/unlock`);
    expect(unlocked.status).toBe(200);
    expect((await signIn(operator.password)).status).toBe(201);
    expect(await auditCount('operator.unlocked', terminal.id)).toBe(1);
    // Another merchant's terminal is not found.
    const other = await t.seedMerchant();
    const beforeForeign = await t.checksum();
    const foreign = await manager.post(`/v1/terminals/${other.terminal.id}/operator-lock/unlock`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    expect(await t.changedSince(beforeForeign)).toEqual([]);
    // Without the unlock the lock ends after 15 minutes.
    const again: string[] = [];
    for (let i = 0; i < 5; i++) again.push(outcome(await signIn('000000')));
    expect(again).toEqual([...Array(4).fill('401 OPERATOR_CREDENTIALS_INVALID'), '423 OPERATOR_LOCKED']);
    expect(outcome(await signIn(operator.password))).toBe('423 OPERATOR_LOCKED');
    t.clock.advance(15 * MINUTE);
    expect((await signIn(operator.password)).status).toBe(201);
  });

  it('a locked merchant: approve and authorize answer 423 from the merchant lock; nothing moves', async () => {
    const m: SeededMerchant = await t.seedMerchant();
    const [a, b, c, d] = m.terminals;
    if (!a || !b || !c || !d) throw new Error('the seed has 4 terminals');
    // A refund waiting for approval on a, and one waiting for its key on b, before the lock.
    const big = await startRefund(a, WITH_APPROVAL);
    const keyed = await a.post(`/v1/refunds/${big.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(keyed.body.authorization.satisfied).toEqual(['refund_key']);
    const ready = await a.post(`/v1/refunds/${big.id}/authorize`, { code: await codeOf(t, big.id) });
    expect(ready.body.status).toBe('pending_approval');
    const waiting = await startRefund(b, 5_000);
    // 10 wrong keys on c and d lock the merchant (a and b have no failures of their own).
    const wrongs: string[] = [];
    for (const terminal of [c, d]) {
      const r = await startRefund(terminal, 5_000);
      for (let i = 0; i < 5; i++)
        wrongs.push(outcome(await terminal.post(`/v1/refunds/${r.id}/authorize`, { refund_key: `bad-key-${i}` })));
    }
    // Each terminal's fifth wrong key locks it; the tenth also locks the merchant.
    const lockingRun = [...Array(4).fill('422 REFUND_KEY_INVALID'), '423 REFUNDS_LOCKED'];
    expect(wrongs).toEqual([...lockingRun, ...lockingRun]);
    expect(await t.services.attempts.lockedFor([merchantRefundSubject(m.demo.merchant_id)])).toBe(1800);
    expect(await t.services.attempts.lockedFor([terminalKeySubject(b.id, m.demo.merchant_id)])).toBe(0);

    const manager = await StaffClient.signIn(t, m.demo.manager.login, m.demo.manager.password);
    await manager.reauth();
    const before = await t.checksum();
    const approve = await manager.post(`/v1/approvals/${big.id}/approve`);
    expect(approve.status).toBe(423);
    expect(approve.body.error.code).toBe('REFUNDS_LOCKED');
    const authorize = await b.post(`/v1/refunds/${waiting.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(authorize.status).toBe(423);
    expect(authorize.body.error.code).toBe('REFUNDS_LOCKED');
    expect((await a.get(`/v1/refunds/${big.id}`)).body.status).toBe('pending_approval');
    expect((await b.get(`/v1/refunds/${waiting.id}`)).body.status).toBe('requires_authorization');
    const sale = await a.get(`/v1/sales/${big.sale_id}`);
    expect(sale.body.refunded_amount).toBe(0);
    expect(await t.changedSince(before)).toEqual([]);
  });

  it('cross-store: refused by default; when the owner allows it, the refund follows the sale store’s rules and key', async () => {
    const m = await t.seedMerchant();
    const storeOne = m.demo.stores[0]?.id as string;
    const atStoreOne = m.terminals.find((x) => x.storeId === storeOne) as TerminalClient;
    const atStoreTwo = m.terminals.find((x) => x.storeId !== storeOne) as TerminalClient;
    const sale = await atStoreOne.sale(3_000);
    const before = await t.checksum();
    const refused = await atStoreTwo.post('/v1/refunds', { sale_id: sale.id, amount: 3_000, reason: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'REFUND_OTHER_STORE', param: 'sale_id' });
    expect(await t.changedSince(before)).toEqual([]);

    const owner = await ownerSession(t, m.demo);
    // Store one is strict (a code above ¥10), store two loose: the sale's store decides.
    await setPolicy(owner, storeOne, { thresholds: { key_only_max: 1_000, key_and_code_max: 500_000 } });
    const allow = await owner.post(`/v1/merchants/${m.demo.merchant_id}/refund-settings`, {
      cross_store_refunds: true,
    });
    expect(allow.status).toBe(200);
    expect(allow.body).toEqual({ merchant_id: m.demo.merchant_id, cross_store_refunds: true });
    const created = await atStoreTwo.post('/v1/refunds', { sale_id: sale.id, amount: 3_000, reason: 'x' });
    expect(created.status).toBe(201);
    expect(created.body.authorization.required).toEqual(['refund_key', 'one_time_code']);
    const stored = await t.db
      .selectFrom('refunds')
      .select(['store_id', 'terminal_id'])
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ store_id: storeOne, terminal_id: atStoreTwo.id });
    const key = await atStoreTwo.post(`/v1/refunds/${created.body.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(key.body.authorization.satisfied).toEqual(['refund_key']);
    const done = await atStoreTwo.post(`/v1/refunds/${created.body.id}/authorize`, {
      code: await codeOf(t, created.body.id),
    });
    expect(done.body.status).toBe('succeeded');
    await setPolicy(owner, storeOne, {});
  });
});
