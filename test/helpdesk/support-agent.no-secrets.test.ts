// Issue 15 item 2 (docs/security.md "Support desk": agents never see, type or set a secret): a signed-in support agent
// (second factor enrolled) is sent to every state-changing route of the server outside its own desk, tickets and its
// own account; each answers exactly 403 FORBIDDEN (back office) or 401 TERMINAL_KEY_INVALID (terminal API) and changes
// nothing. The route list is read from the router, so a new secret-setting route is covered without editing this file;
// the named secret-setting routes must be among those tried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person } from '../mfa/mfa-helpers.js';
import { registeredRoutes } from '../reliability/support/route-list.js';
import { DIALECTS } from '../support/databases.js';
import { outcome } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import { TestApp } from '../support/test-app.js';

/** What an agent may call: its desk, tickets, announcements, its own account and sign-in, and the public routes. */
const AGENT_OWN = [
  /^\/v1\/support\/(merchants|cases)/,
  /^\/v1\/tickets/,
  /^\/v1\/me\//,
  /^\/v1\/auth\//,
  /^\/dev\//,
  /^\/v1\/apply\//,
  /^\/v1\/bank\/reset-requests$/,
  /^\/v1\/support\/resets\/account$/, // public: only the owner's reset code opens it
  /^\/v1\/terminals\/activate$/, // public: only an activation code opens it
];

/** Routes that set or issue a secret (a key, password, code, token or credential): all must be tried here. */
const SECRET_SETTING = [
  'POST /v1/refund-key',
  'POST /v1/refund-key/forgotten',
  'POST /v1/refund-key/forgotten/confirm',
  'POST /v1/support/resets/refund-key',
  'POST /v1/staff',
  'POST /v1/staff/:id/invitation',
  'POST /v1/operators',
  'POST /v1/merchants',
  'POST /v1/stores/:id/terminals',
  'POST /v1/terminals/:id/activation-code',
  'POST /v1/webhook-endpoints',
  'POST /v1/banks',
  'POST /v1/operator-sessions',
];

describe.each(DIALECTS)('a support agent cannot reach any secret-setting route [%s]', (dialect) => {
  let t: TestApp;
  let agent: StaffClient;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    await t.seedMerchant();
    const who = await person(t, null, 'support_agent');
    agent = await StaffClient.signIn(t, who.login, who.password);
    await agent.reauth(); // a fresh re-authentication, so no route refuses for that reason instead of the role
  });
  afterAll(async () => t?.close());

  it('every state-changing route outside the desk refuses the agent exactly and changes nothing', async () => {
    const tried: string[] = [];
    const answers: Record<string, string> = {};
    const before = await t.checksum();
    for (const route of registeredRoutes(t.app.server)) {
      if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) continue;
      if (AGENT_OWN.some((own) => own.test(route.url))) continue;
      const key = `${route.method} ${route.url}`;
      const url = route.url.replace(/:[a-z_]+/g, 'x_none');
      const answer = await t.request(route.method as 'POST', url, { body: {}, headers: agent.headers() });
      answers[key] = outcome(answer);
      tried.push(key);
    }
    const wrong = Object.entries(answers).filter(
      ([, got]) => got !== '403 FORBIDDEN' && got !== '401 TERMINAL_KEY_INVALID',
    );
    expect(wrong).toEqual([]);
    expect(SECRET_SETTING.filter((key) => !tried.includes(key))).toEqual([]);
    expect(await t.changedSince(before)).toEqual([]);
  });

  it("the agent's own case answers never carry a reset code", async () => {
    const opened = await agent.post('/v1/support/cases', {
      merchant_id: (await t.db.selectFrom('merchants').select('id').executeTakeFirstOrThrow()).id,
      kind: 'lost_phone',
    });
    expect(opened.status).toBe(201);
    expect(JSON.stringify(opened.body)).not.toMatch(/rst-|token|secret/);
  });
});
