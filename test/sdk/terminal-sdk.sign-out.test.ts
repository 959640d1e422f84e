import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, TerminalClient } from '../../src/sdk/index.js';
import { DIALECTS } from '../support/databases.js';
import { refusal, SdkWorld } from './support/sdk-world.js';

// Signing out (签退) ends the operator session on the server: a copy of the token (a shared tablet, a state file copied
// away) is refused afterwards, the other operator's session on the same terminal is not touched, and the sign-out is
// in the audit log. Without a network the SDK still forgets the session, so the counter can always sign out.
describe.each(DIALECTS)('terminal SDK: signing the operator out [%s]', (dialect) => {
  let world: SdkWorld;
  let terminalKey = '';

  beforeAll(async () => {
    world = await SdkWorld.start(dialect);
    const terminal = world.store(0).terminals[0];
    if (!terminal) throw new Error('demo store without terminal');
    const activating = new TerminalClient({ baseUrl: world.baseUrl });
    terminalKey = (await activating.activate(terminal.activation_code)).terminal_key;
    world.test.secrets.add('terminal key', terminalKey);
  });
  afterAll(async () => world?.close());

  async function signedIn(index: number): Promise<{ client: TerminalClient; store: MemoryStore; token: string }> {
    const operator = world.store(0).operators[index];
    if (!operator) throw new Error(`demo store without operator ${index}`);
    const store = new MemoryStore();
    const client = new TerminalClient({ baseUrl: world.baseUrl, terminalKey, store, language: 'en' });
    const { operator_session: token } = await client.signIn(operator.operator_no, operator.password);
    world.test.secrets.add('operator session', token);
    return { client, store, token };
  }

  it('the session ends on the server: its token is refused afterwards, the other operator goes on', async () => {
    const first = await signedIn(0);
    const second = await signedIn(1);
    await first.client.signOut();
    expect(await first.client.isSignedIn()).toBe(false);
    expect(await first.store.get('operator_session')).toBeUndefined();

    const copy = new TerminalClient({ baseUrl: world.baseUrl, terminalKey, operatorSession: first.token });
    const refused = await refusal(copy.todaySales());
    expect([refused.status, refused.code]).toEqual([401, 'OPERATOR_SESSION_REQUIRED']);
    expect((await second.client.todaySales()).data).toEqual([]);

    const entries = await world.test.db
      .selectFrom('audit_log')
      .select(['event', 'outcome', 'object_id'])
      .where('event', '=', 'operator.sign_out')
      .execute();
    expect(entries).toEqual([
      { event: 'operator.sign_out', outcome: 'success', object_id: world.store(0).terminals[0]?.id },
    ]);
  });

  it('without a network the session is still forgotten here (it then expires on the server by itself)', async () => {
    const { token } = await signedIn(0);
    const store = new MemoryStore();
    const offline = new TerminalClient({
      baseUrl: world.baseUrl,
      terminalKey,
      operatorSession: token,
      store,
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
    });
    await offline.signOut();
    expect(await offline.isSignedIn()).toBe(false);
    // Nothing reached the server: the token still works until it expires.
    const online = new TerminalClient({ baseUrl: world.baseUrl, terminalKey, operatorSession: token });
    expect((await online.todaySales()).data).toEqual([]);
  });
});
