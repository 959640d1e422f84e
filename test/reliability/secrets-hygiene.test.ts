// Issue 5 "Secrets hygiene" (docs/security.md "Logs": never a password, refund key, code, token, session id or card
// number): every suite's TestApp scans all its captured log lines at close() for the secrets it saw. These tests show
// the scanner itself works, so that a suite passing means its logs were clean rather than unchecked.
import { describe, expect, it } from 'vitest';
import { SecretRegistry } from '../support/log-secrets.js';
import { StaffClient } from '../support/staff-client.js';
import { TestApp } from '../support/test-app.js';

describe('secrets hygiene scanner [sqlite]', () => {
  it('close() throws, naming the kind and the msg, when a log line holds the demo refund key', async () => {
    const t = await TestApp.start('sqlite');
    const m = await t.seedMerchant();
    // A field name the logger does not redact, as a careless log call would use.
    t.services.log.warn({ detail: `tried ${m.demo.refund_key}` }, 'deliberate leak');
    const closing = t.close();
    await expect(closing).rejects.toThrow(/refund key in a "deliberate leak" line/);
    await expect(closing).rejects.not.toThrow(m.demo.refund_key);
  });

  it('finds session cookies, operator sessions, codes from the outbox and card numbers; passes a clean log', async () => {
    const t = await TestApp.start('sqlite');
    const m = await t.seedMerchant();
    const owner = await StaffClient.signIn(t, m.demo.owner.login, m.demo.owner.password);
    const refund = await m.terminal.post('/v1/refunds', {
      sale_id: (await m.terminal.sale(50_000)).id,
      amount: 50_000,
      reason: 'needs a code',
    });
    expect(refund.body.authorization.required).toContain('one_time_code');
    await t.services.delivery.deliverDue({ limit: 100 });
    await t.secrets.addOutboxSecrets(t.services.outbox);
    expect(t.secrets.scan(t.logs)).toEqual([]); // the real logs of all that are clean

    const code = (await t.services.outbox.listFor(undefined, 100))
      .filter((row) => row.template === 'refund_code')
      .map((row) => String(t.services.outbox.parameters(row).code))[0];
    const lines = [
      JSON.stringify({ msg: 'code line', text: `验证码${code}，5分钟内有效` }),
      JSON.stringify({ msg: 'session line', header: m.terminal.session }),
      JSON.stringify({ msg: 'cookie line', cookie: `rk_session=${owner.token}` }),
      JSON.stringify({ msg: 'card line', note: 'paid with 4242424242424242' }), // as if written around the masking hook
      JSON.stringify({ msg: 'not a card', note: 'order 4242424242424241, at 1795658400000' }),
      JSON.stringify({ msg: 'a time', time: Number(`1${code}000000`) }), // the code's digits inside a longer number
    ];
    expect(new Set(t.secrets.scan(lines).map((f) => `${f.kind} / ${f.msg}`))).toEqual(
      new Set([
        'one-time code (refund_code) / code line',
        'operator session / session line',
        'session cookie / cookie line',
        'card number / card line',
      ]),
    );
    await t.close();
  });

  it('skips values too short to tell apart from ordinary text', () => {
    const registry = new SecretRegistry();
    registry.add('password', '12345');
    registry.add('password', 'hunter');
    expect(registry.size).toBe(1);
    expect(registry.scan(['{"msg":"12345 hunter"}'])).toEqual([{ kind: 'password', msg: '12345 hunter' }]);
  });
});
