// Issue 15 item 4, announcements (公告): a platform admin publishes to all merchants, a merchant type or a region, between
// a start and an end; the console (session) and terminals (terminal key) read them at GET /v1/announcements; each
// person acknowledges once (also in a burst; on a terminal for the operator's staff member); the history keeps ended
// ones; an urgent one reaches the audience's owners over real SMPP and SMTP. Refusals: exact code, nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD } from '../auth/auth-helpers.js';
import { person } from '../mfa/mfa-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import type { SeededMerchant } from '../support/test-app.js';
import { HelpdeskWorld } from './support/helpdesk-world.js';

const DAY = 86_400_000;

describe.each(DIALECTS)('announcements [%s]', (dialect) => {
  let w: HelpdeskWorld;
  let admin: StaffClient;
  let adminWho: { login: string; password: string };
  let ownerA: StaffClient;
  let ownerB: StaffClient;
  let b: SeededMerchant;
  const iso = (ms: number) => new Date(ms).toISOString();
  const publish = (over: Record<string, unknown> = {}) =>
    admin.post('/v1/admin/announcements', {
      title: '系统升级通知',
      body: '12月6日 02:00-04:00 暂停结算。',
      severity: 'info',
      audience: { kind: 'all' },
      starts_at: iso(w.t.clock.now()),
      ends_at: iso(w.t.clock.now() + DAY),
      ...over,
    });
  const titles = (answer: { body: { data: Array<{ title: string }> } }) => answer.body.data.map((a) => a.title).sort();

  beforeAll(async () => {
    w = await HelpdeskWorld.start(dialect);
    b = await w.t.seedMerchant();
    adminWho = await person(w.t, null, 'admin');
    admin = await StaffClient.signIn(w.t, adminWho.login, adminWho.password);
    ownerA = await StaffClient.signIn(w.t, w.m.demo.owner.login, w.m.demo.owner.password);
    ownerB = await StaffClient.signIn(w.t, b.demo.owner.login, b.demo.owner.password);
    const audience = (id: string, region: string) =>
      admin.post(`/v1/merchants/${id}/audience`, { merchant_type: 'restaurant', region });
    expect((await audience(w.m.demo.merchant_id, '上海')).status).toBe(200);
    expect((await audience(b.demo.merchant_id, '北京')).status).toBe(200);
  });
  afterAll(async () => w?.close());

  it('published to all, to a region, and later: console and terminal see what their merchant is shown', async () => {
    expect((await publish()).status).toBe(201);
    const urgent = await publish({
      title: '上海地区紧急公告',
      body: '请立即更新终端。',
      severity: 'urgent',
      audience: { kind: 'region', value: '上海' },
    });
    expect(urgent.status).toBe(201);
    expect(
      (
        await publish({
          title: '明天的公告',
          starts_at: iso(w.t.clock.now() + DAY),
          ends_at: iso(w.t.clock.now() + 2 * DAY),
        })
      ).status,
    ).toBe(201);

    expect(titles(await ownerA.get('/v1/announcements'))).toEqual(['上海地区紧急公告', '系统升级通知']);
    const onTerminal = await w.t.request('GET', '/v1/announcements', {
      headers: { authorization: `Bearer ${w.m.terminal.key}` },
    });
    expect(titles(onTerminal)).toEqual(['上海地区紧急公告', '系统升级通知']);
    expect(titles(await ownerB.get('/v1/announcements'))).toEqual(['系统升级通知']);
    const bTerminal = await w.t.request('GET', '/v1/announcements', {
      headers: { authorization: `Bearer ${b.terminal.key}` },
    });
    expect(titles(bTerminal)).toEqual(['系统升级通知']);

    // The urgent one went to merchant A's owner by SMS and e-mail, not to B's.
    await w.deliver();
    expect(w.smsTo('13800138000').some((text) => text.includes('上海地区紧急公告'))).toBe(true);
    const emailA = (await w.t.services.staff.findByLogin(w.m.demo.owner.login))?.email ?? '';
    const emailB = (await w.t.services.staff.findByLogin(b.demo.owner.login))?.email ?? '';
    expect(w.mailsTo(emailA).some((text) => text.includes('紧急公告：上海地区紧急公告'))).toBe(true);
    expect(w.mailsTo(emailB).some((text) => text.includes('上海地区紧急公告'))).toBe(false);
  });

  it('acknowledged once per person (a burst records one), on the console and on a terminal; history', async () => {
    const list = await ownerA.get('/v1/announcements');
    const id = (list.body.data as Array<{ id: string; title: string }>).find((a) => a.title === '系统升级通知')?.id;
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => ownerA.post(`/v1/announcements/${id}/acknowledge`)),
    );
    expect(tally(burst)).toEqual({ '200': 10 });
    const acks = () =>
      w.t.db
        .selectFrom('announcement_acks')
        .selectAll()
        .where('announcement_id', '=', id ?? '')
        .execute();
    expect((await acks()).map((a) => a.via)).toEqual(['console']);
    const again = await ownerA.get('/v1/announcements');
    expect(again.body.data.find((a: { id: string }) => a.id === id).acknowledged_at).toBe(
      new Date(w.t.clock.now()).toISOString(),
    );

    const onTerminal = await w.m.terminal.post(`/v1/terminal/announcements/${id}/acknowledge`, {});
    expect(onTerminal.status).toBe(200);
    expect((await acks()).map((a) => a.via).sort()).toEqual(['console', 'terminal']);
    expect((await acks()).every((a) => a.merchant_id === w.m.demo.merchant_id)).toBe(true);

    const counted = await admin.get('/v1/admin/announcements');
    expect(counted.body.data.find((a: { id: string }) => a.id === id).acknowledged_by).toEqual({
      people: 2,
      merchants: 1,
    });

    w.t.clock.advance(2 * DAY);
    const current = await StaffClient.signIn(w.t, w.m.demo.owner.login, w.m.demo.owner.password);
    expect(titles(await current.get('/v1/announcements'))).toEqual([]);
    expect(titles(await current.get('/v1/announcements?history=true'))).toEqual([
      '上海地区紧急公告',
      '明天的公告',
      '系统升级通知',
    ]);
    ownerA = current;
    ownerB = await StaffClient.signIn(w.t, b.demo.owner.login, b.demo.owner.password);
    admin = await StaffClient.signIn(w.t, adminWho.login, adminWho.password);
  });

  it('refusals change nothing: unknown or other audience, bad window or audience, not an admin, no credentials', async () => {
    const history = await ownerA.get('/v1/announcements?history=true');
    const regional = history.body.data.find((a: { title: string }) => a.title === '上海地区紧急公告').id;
    const agent = await StaffClient.signIn(w.t, w.agents[0].login, STRONG_PASSWORD);
    const before = await w.t.checksum();
    const outcomes = [
      await ownerA.post('/v1/announcements/ann_none/acknowledge'),
      await ownerB.post(`/v1/announcements/${regional}/acknowledge`),
      await publish({ ends_at: iso(w.t.clock.now() - 1) }),
      await publish({ audience: { kind: 'region' } }),
      await publish({ audience: { kind: 'all', value: '上海' } }),
      await ownerA.post('/v1/admin/announcements', { title: 'x' }),
      await agent.post('/v1/announcements/ann_none/acknowledge'),
      await w.t.request('GET', '/v1/announcements'),
      await w.t.request('GET', '/v1/announcements', { headers: { authorization: 'Bearer tk_forged' } }),
    ].map((a) => `${a.status} ${a.body.error.code}`);
    expect(outcomes).toEqual([
      '404 ANNOUNCEMENT_NOT_FOUND',
      '404 ANNOUNCEMENT_NOT_FOUND',
      '422 ANNOUNCEMENT_WINDOW_INVALID',
      '422 ANNOUNCEMENT_AUDIENCE_INVALID',
      '422 ANNOUNCEMENT_AUDIENCE_INVALID',
      '403 FORBIDDEN',
      '403 FORBIDDEN',
      '401 UNAUTHENTICATED',
      '401 TERMINAL_KEY_INVALID',
    ]);
    expect(await w.t.changedSince(before)).toEqual([]);
  });
});
