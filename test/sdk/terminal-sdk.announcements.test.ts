import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefundkeyError, TerminalClient } from '../../src/sdk/index.js';
import { publishUrgentAnnouncement } from '../provisioning/provisioning-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { SdkWorld } from './support/sdk-world.js';

// Announcements (公告) through the terminal SDK: what the platform publishes reaches the counter with the terminal key
// alone, and the signed-in operator acknowledges it for the staff member behind the operator number, once.
describe.each(DIALECTS)('terminal SDK: announcements [%s]', (dialect) => {
  let world: SdkWorld;
  let pos: TerminalClient;
  let announcementId = '';
  let terminalKey = '';

  beforeAll(async () => {
    world = await SdkWorld.start(dialect);
    const store = world.store(0);
    const [terminal, operator] = [store.terminals[0], store.operators[0]];
    if (!terminal || !operator) throw new Error('demo store without terminal or operator');
    pos = new TerminalClient({ baseUrl: world.baseUrl, language: 'en' });
    terminalKey = (await pos.activate(terminal.activation_code)).terminal_key;
    world.test.secrets.add('terminal key', terminalKey);
    world.test.secrets.add(
      'operator session',
      (await pos.signIn(operator.operator_no, operator.password)).operator_session,
    );
    announcementId = await publishUrgentAnnouncement(world.test, '系统升级', '今晚 23:00 至 23:30 暂停结算。');
  });
  afterAll(async () => world?.close());

  it('the terminal sees the announcement in force with its key alone', async () => {
    const keyOnly = new TerminalClient({ baseUrl: world.baseUrl, terminalKey });
    const list = await keyOnly.announcements();
    expect(list.map((a) => [a.id, a.title, a.severity, a.active, a.acknowledged_at])).toEqual([
      [announcementId, '系统升级', 'urgent', true, null],
    ]);
  });

  it('the operator acknowledges it once; a repeat keeps the first time', async () => {
    const first = await pos.acknowledgeAnnouncement(announcementId);
    expect(first.acknowledged_at).toEqual(expect.any(String));
    world.test.clock.advance(5_000);
    const again = await pos.acknowledgeAnnouncement(announcementId);
    expect(again.acknowledged_at).toBe(first.acknowledged_at);
    const entries = await world.test.db
      .selectFrom('audit_log')
      .select(['object_id', 'actor_type'])
      .where('event', '=', 'announcement.acknowledged')
      .execute();
    expect(entries).toEqual([{ object_id: announcementId, actor_type: 'user' }]);
  });

  it('an unknown announcement is refused with its code, and nothing changes', async () => {
    const before = await world.test.checksum();
    const error = await pos.acknowledgeAnnouncement('ann_unknown').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundkeyError);
    expect([(error as RefundkeyError).status, (error as RefundkeyError).code]).toEqual([404, 'ANNOUNCEMENT_NOT_FOUND']);
    expect(await world.test.changedSince(before)).toEqual([]);
  });
});
