// Issue 15 item 6, after-sales tickets (售后): a merchant's staff open one (category, text, their terminal); a support
// agent answers and moves it; each status change reaches the opener and the owners over real SMPP and SMTP; the history
// keeps every message and change in order. Another merchant's ticket is answered as unknown; a move the rules do not
// allow is refused (of a burst of the same move exactly one wins); every refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { tally } from '../support/outcomes.js';
import { StaffClient } from '../support/staff-client.js';
import type { SeededMerchant } from '../support/test-app.js';
import { HelpdeskWorld } from './support/helpdesk-world.js';

describe.each(DIALECTS)('after-sales tickets [%s]', (dialect) => {
  let w: HelpdeskWorld;
  let owner: StaffClient;
  let manager: StaffClient;
  let otherOwner: StaffClient;
  let b: SeededMerchant;
  beforeAll(async () => {
    w = await HelpdeskWorld.start(dialect);
    b = await w.t.seedMerchant();
    owner = await StaffClient.signIn(w.t, w.m.demo.owner.login, w.m.demo.owner.password);
    manager = await StaffClient.signIn(w.t, w.m.demo.manager.login, w.m.demo.manager.password);
    otherOwner = await StaffClient.signIn(w.t, b.demo.owner.login, b.demo.owner.password);
  });
  afterAll(async () => w?.close());

  it("the terminals a ticket may name: the merchant's own, with their store's name, never another merchant's", async () => {
    const ids = (answer: { body: { data: Array<{ id: string }> } }) => answer.body.data.map((x) => x.id);
    const mine = await owner.get('/v1/tickets/terminals');
    expect(mine.status).toBe(200);
    expect(ids(mine)).toContain(w.m.terminal.id);
    expect(ids(mine)).not.toContain(b.terminal.id);
    const store = await w.t.db
      .selectFrom('stores')
      .select('name')
      .where('id', '=', w.m.terminal.storeId)
      .executeTakeFirstOrThrow();
    expect(mine.body.data.find((x: { id: string }) => x.id === w.m.terminal.id).store_name).toBe(store.name);
    expect(ids(await manager.get('/v1/tickets/terminals'))).toEqual(ids(mine));
    expect(ids(await otherOwner.get('/v1/tickets/terminals')).sort()).toEqual(b.terminals.map((x) => x.id).sort());
    const agent = await w.agents[0].get('/v1/tickets/terminals');
    expect([agent.status, agent.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('a round trip: opened by the manager, answered and resolved by support, closed by the merchant; notified', async () => {
    const before = await w.t.checksum();
    const foreignTerminal = await manager.post('/v1/tickets', {
      category: 'device_fault',
      text: '打印机不出纸',
      terminal_id: b.terminal.id,
    });
    expect([foreignTerminal.status, foreignTerminal.body.error.code]).toEqual([422, 'TICKET_TERMINAL_UNKNOWN']);
    expect(await w.t.changedSince(before)).toEqual([]);

    const opened = await manager.post('/v1/tickets', {
      category: 'device_fault',
      text: '打印机不出纸',
      terminal_id: w.m.terminal.id,
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', category: 'device_fault', terminal_id: w.m.terminal.id });
    const url = `/v1/tickets/${opened.body.id}`;
    const [agent] = w.agents;
    expect((await agent.get('/v1/tickets?status=open')).body.data.map((t: { id: string }) => t.id)).toContain(
      opened.body.id,
    );
    expect((await otherOwner.get('/v1/tickets')).body.data).toEqual([]);
    // The console shows names people know (merchant, terminal, opener, the first words), not only internal ids.
    const listed = (await agent.get('/v1/tickets')).body.data.find((t: { id: string }) => t.id === opened.body.id);
    const terminalName = await w.t.db
      .selectFrom('terminals')
      .select('name')
      .where('id', '=', w.m.terminal.id)
      .executeTakeFirstOrThrow();
    expect(listed).toMatchObject({
      subject: '打印机不出纸',
      terminal_name: terminalName.name,
      opened_by_name: (await w.t.services.staff.findByLogin(w.m.demo.manager.login))?.name,
    });
    expect(listed.merchant_name).not.toBe('');

    const answered = await agent.post(`${url}/messages`, { text: '请检查纸卷方向后重启终端。' });
    expect(answered.body.status).toBe('answered');
    expect((await agent.post(`${url}/status`, { status: 'in_progress' })).body.status).toBe('in_progress');
    const race = await Promise.all(
      Array.from({ length: 10 }, () => agent.post(`${url}/status`, { status: 'resolved' })),
    );
    expect(tally(race)).toEqual({ '200': 1, '409 TICKET_STATUS_NOT_ALLOWED': 9 });
    expect((await owner.post(`${url}/status`, { status: 'closed' })).body.status).toBe('closed');

    const history = (await owner.get(url)).body.history as Array<{
      kind: string;
      side: string;
      to: string | null;
      author_name: string;
    }>;
    expect(history.every((h) => h.author_name !== '')).toBe(true);
    expect(history.map((h) => `${h.side}:${h.kind}:${h.to ?? ''}`)).toEqual([
      'merchant:message:',
      'support:message:',
      'support:status:answered',
      'support:status:in_progress',
      'support:status:resolved',
      'merchant:status:closed',
    ]);

    // Each status change reached the manager who opened it and the owner, on both channels.
    await w.deliver();
    const ownerSms = w.smsTo('13800138000').filter((t) => t.includes('售后工单'));
    const managerSms = w.smsTo('13900139000').filter((t) => t.includes('售后工单'));
    expect(ownerSms.map((t) => /状态：(\S+?)，/.exec(t)?.[1])).toEqual(['客服已回复', '处理中', '已解决', '已关闭']);
    expect(managerSms).toHaveLength(4);
    const managerEmail = (await w.t.services.staff.findByLogin(w.m.demo.manager.login))?.email ?? '';
    const mails = w.mailsTo(managerEmail).filter((t) => t.includes('售后工单'));
    expect(mails).toHaveLength(4);
    expect(mails.filter((t) => t.includes('客服回复：请检查纸卷方向后重启终端。'))).toHaveLength(1);
  });

  it("refusals change nothing: another merchant's ticket, moves not allowed, a closed ticket, a role not allowed", async () => {
    const opened = await owner.post('/v1/tickets', { category: 'settlement', text: '结算金额不符' });
    const url = `/v1/tickets/${opened.body.id}`;
    const closed = await owner.post('/v1/tickets', { category: 'other', text: '已解决的问题' });
    await owner.post(`/v1/tickets/${closed.body.id}/status`, { status: 'closed' });
    const [agent] = w.agents;
    const before = await w.t.checksum();
    const outcomes = [
      await otherOwner.get(url),
      await otherOwner.post(`${url}/messages`, { text: '偷看' }),
      await otherOwner.post(`${url}/status`, { status: 'closed' }),
      await owner.post(`${url}/status`, { status: 'resolved' }),
      await agent.post(`${url}/status`, { status: 'closed' }),
      await owner.post(`/v1/tickets/${closed.body.id}/messages`, { text: '再问一次' }),
      await agent.post('/v1/tickets', { category: 'other', text: '客服不能开单' }),
      await owner.post('/v1/tickets', { category: 'hardware', text: 'x' }),
    ].map((a) => `${a.status} ${a.body.error.code}`);
    expect(outcomes).toEqual([
      '404 TICKET_NOT_FOUND',
      '404 TICKET_NOT_FOUND',
      '404 TICKET_NOT_FOUND',
      '409 TICKET_STATUS_NOT_ALLOWED',
      '409 TICKET_STATUS_NOT_ALLOWED',
      '409 TICKET_CLOSED',
      '403 FORBIDDEN',
      '400 VALIDATION_FAILED',
    ]);
    expect(await w.t.changedSince(before)).toEqual([]);
  });
});
