import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/sdk/file-store.js';
import { NetworkError, type Sale, TerminalClient } from '../../src/sdk/index.js';
import { DIALECTS } from '../support/databases.js';
import { SdkWorld } from './support/sdk-world.js';

const CARD = { number: '6222020000000007', expiry: '12/30', entry_mode: 'chip' as const };

/**
 * A fetch that sends the request and then never delivers the answer: the client's timeout fires while the server has
 * already acted (a slow or half-dead link).
 */
const answerNever: typeof fetch = async (input, init) => {
  const { signal, ...rest } = init ?? {};
  const answer = await globalThis.fetch(input, rest);
  await answer.arrayBuffer();
  // The server may take longer than the client's timeout (a loaded machine): then the abort has already happened.
  return new Promise<Response>((_resolve, reject) => {
    const abort = () => reject(new DOMException('aborted', 'AbortError'));
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort);
  });
};

// A pending operation is written to the store before it is sent, survives the client (a restart of the terminal), and
// a new client on the same store resumes it with the same idempotency key: the sale exists once.
describe.each(DIALECTS)('terminal SDK: a timeout, a restart, and resume with the same key [%s]', (dialect) => {
  let world: SdkWorld;
  let dir: string;
  let statePath: string;

  beforeAll(async () => {
    world = await SdkWorld.start(dialect);
    dir = mkdtempSync(join(tmpdir(), 'refundkey-sdk-'));
    statePath = join(dir, 'pos-state.json');
    const pos = new TerminalClient({ baseUrl: world.baseUrl, store: new FileStore(statePath) });
    const store = world.store(0);
    world.test.secrets.add(
      'terminal key',
      (await pos.activate(store.terminals[0]?.activation_code ?? '')).terminal_key,
    );
    const operator = store.operators[0];
    if (!operator) throw new Error('no operator');
    world.test.secrets.add(
      'operator session',
      (await pos.signIn(operator.operator_no, operator.password)).operator_session,
    );
  });
  afterAll(async () => {
    await world?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the terminal key and session in a file only its owner can read', () => {
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, string>;
    expect(state.terminal_key).toMatch(/\w{16,}/);
    expect(state.operator_session).toBeTruthy();
  });

  it('a sale whose answer never comes stays pending; a new client on the same file resumes it once', async () => {
    const first = new TerminalClient({
      baseUrl: world.baseUrl,
      store: new FileStore(statePath),
      fetch: answerNever,
      timeoutMs: 300,
    });
    const failed = await first
      .sale({ amount: 7_777, payment_method: { type: 'bank_card', card: CARD } })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(NetworkError);
    expect((failed as NetworkError).message).toMatch(/no answer in 300 ms/);
    const key = (failed as NetworkError).operation?.idempotency_key ?? '';
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const terminalId = world.store(0).terminals[0]?.id ?? '';
    expect(await world.salesCount(terminalId, 7_777)).toBe(1);

    // The terminal restarts: a new client, nothing but the file.
    const restarted = new TerminalClient({ baseUrl: world.baseUrl, store: new FileStore(statePath) });
    const pending = await restarted.pending();
    expect(pending).toMatchObject([{ idempotency_key: key, kind: 'sale', path: '/v1/sales', attempts: 1 }]);
    const [sale] = (await restarted.resume()) as Sale[];
    expect(sale).toMatchObject({ status: 'succeeded', amount: 7_777 });
    expect(await world.salesCount(terminalId, 7_777)).toBe(1);
    expect(await restarted.pending()).toEqual([]);
    // The server's idempotency record for that key is the one the sale answered.
    const record = await world.test.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    expect(record?.resource_id).toBe(sale?.id);
    // A second resume has nothing to send.
    expect(await restarted.resume()).toEqual([]);
  });

  it('the network down on the first send: the operation waits, and resume() sends it when the server is reachable', async () => {
    const offline = new TerminalClient({
      baseUrl: world.baseUrl,
      store: new FileStore(statePath),
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
    });
    const failed = await offline
      .sale({ amount: 6_666, payment_method: { type: 'cash', tendered: 10_000 } })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(NetworkError);
    expect((failed as NetworkError).message).toContain('ECONNREFUSED');
    expect(await offline.pending()).toHaveLength(1);
    const terminalId = world.store(0).terminals[0]?.id ?? '';
    expect(await world.salesCount(terminalId, 6_666)).toBe(0);

    const online = new TerminalClient({ baseUrl: world.baseUrl, store: new FileStore(statePath) });
    const [sale] = (await online.resume()) as Sale[];
    expect(sale).toMatchObject({ status: 'succeeded', amount: 6_666 });
    expect(await world.salesCount(terminalId, 6_666)).toBe(1);
    expect(await online.pending()).toEqual([]);
  });
});
