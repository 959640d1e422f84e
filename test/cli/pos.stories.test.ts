import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, type ExpectStatic, expect, inject, it } from 'vitest';
import { SdkWorld } from '../sdk/support/sdk-world.js';
import { DIALECTS } from '../support/databases.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWNER_PHONE = '13800138000';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `refundkey pos <args>` as its own process (the bundle global-setup.ts built), asynchronously: the server under test
 * runs in this process and must keep answering while the command waits.
 */
function pos(state: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [inject('cliBundle'), 'pos', ...args, '--state', state],
      { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** `--json` output of a command that must succeed. */
// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON, read by the assertions
async function json(state: string, args: string[], env: Record<string, string> = {}): Promise<any> {
  const run = await pos(state, [...args, '--json'], env);
  if (run.code !== 0) throw new Error(`pos ${args.join(' ')} exited ${run.code}: ${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** `--json` output of a command that must be refused (exit 1): its error object. */
// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON error
async function refused(expect: ExpectStatic, state: string, args: string[]): Promise<any> {
  const run = await pos(state, [...args, '--json']);
  expect(run.code, run.stdout + run.stderr).toBe(1);
  return JSON.parse(run.stdout).error;
}

function wrongCode(code: string): string {
  return [...code].map((digit, i) => (i === 0 ? String((Number(digit) + 1) % 10) : digit)).join('');
}

// Issue 14's two stories through the CLI lane: `refundkey pos …` processes against a real server on a loopback port,
// their state in a 0600 file, messages through real SMPP; --json parsed, the readable tables checked once each.
// Each story on each database has its own server, database, SMPP server and state file, so the four run at the same time
// (a story's steps in order); most of their time is spent waiting on `refundkey pos` processes.
describe.concurrent.each(DIALECTS)('refundkey pos: small restaurant [%s]', (dialect) => {
  let world: SdkWorld;
  let dir: string;
  let state: string;
  let cashSale = '';
  let cardSale = '';

  beforeAll(async () => {
    world = await SdkWorld.start(dialect);
    dir = mkdtempSync(join(tmpdir(), 'refundkey-pos-cli-'));
    state = join(dir, 'pos.json');
  });
  afterAll(async () => {
    await world?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.sequential('activates without printing the key, keeps it in a 0600 state file, and signs the operator in', async ({
    expect,
  }) => {
    const store = world.store(0);
    const activation = store.terminals[0]?.activation_code ?? '';
    const activated = await json(state, ['activate', '--url', world.baseUrl, '--code', activation]);
    expect(activated).toEqual({ terminal_id: store.terminals[0]?.id, state });
    expect(statSync(state).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as Record<string, string>;
    world.test.secrets.add('terminal key', saved.terminal_key ?? '');
    expect(saved.base_url).toBe(world.baseUrl);

    const operator = store.operators[0];
    if (!operator) throw new Error('no operator');
    const wrong = await pos(state, ['login', '--operator', operator.operator_no], {
      REFUNDKEY_OPERATOR_PASSWORD: `${operator.password}x`,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^OPERATOR_\w+: /);
    const login = await pos(state, ['login', '--operator', operator.operator_no], {
      REFUNDKEY_OPERATOR_PASSWORD: operator.password,
    });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('已登录 / operator');
    const status = await json(state, ['status']);
    expect(status).toMatchObject({ activated: true, signed_in: true, pending: [] });
    // Neither the key nor the session is ever printed.
    const text = await pos(state, ['status']);
    for (const secret of [saved.terminal_key, JSON.parse(readFileSync(state, 'utf8')).operator_session]) {
      expect(text.stdout + JSON.stringify(status)).not.toContain(secret);
    }
  });

  it.sequential('takes a cash sale with change and a card sale; today lists them newest first', async ({ expect }) => {
    const cash = await pos(state, ['sale', '--amount', '300', '--cash', '400']);
    expect(cash.code, cash.stderr).toBe(0);
    expect(cash.stdout).toMatch(/金额 Amount\s+¥300\.00/);
    expect(cash.stdout).toContain('找零 change ¥100.00');
    cashSale = /sal_\w+/.exec(cash.stdout)?.[0] ?? '';
    world.test.clock.advance(60_000);
    const card = await json(state, [
      'sale',
      '--amount',
      '120.00',
      '--card',
      '6222020000000007',
      '--expiry',
      '12/30',
      '--entry',
      'chip',
    ]);
    expect(card).toMatchObject({ status: 'succeeded', amount: 12_000 });
    cardSale = card.id;
    const today = await json(state, ['today']);
    expect(today.data.map((s: { id: string }) => s.id)).toEqual([cardSale, cashSale]);
    const table = await pos(state, ['today']);
    expect(table.stdout).toContain('成功 2 笔 ¥420.00 / 2 succeeded, ¥420.00');
  });

  it.sequential('a partial card refund is authorized with the refund key alone', async ({ expect }) => {
    const refund = await json(state, ['refund', '--sale', cardSale, '--amount', '50', '--reason', 'dish returned']);
    expect(refund.authorization.required).toEqual(['refund_key']);
    const done = await json(state, ['authorize', refund.id], { REFUNDKEY_REFUND_KEY: world.demo.refund_key });
    expect(done.status).toBe('succeeded');
  });

  it.sequential('a cash refund above the key-only threshold needs the SMS code; a wrong one shows attempts left', async ({
    expect,
  }) => {
    const before = world.smsCount(OWNER_PHONE);
    const refund = await pos(state, ['refund', '--sale', cashSale, '--amount', '250', '--reason', 'order canceled']);
    expect(refund.code, refund.stderr).toBe(0);
    expect(refund.stdout).toMatch(/还需 Still needed\s+退款密钥 refund key, 验证码 one-time code/);
    expect(refund.stdout).toContain('138****8000');
    const refundId = /ref_\w+/.exec(refund.stdout)?.[0] ?? '';
    const code = await world.smsCode(OWNER_PHONE, before);

    const checksum = await world.test.checksum();
    const wrong = await pos(state, ['authorize', refundId, '--code', wrongCode(code), '--lang', 'en'], {
      REFUNDKEY_REFUND_KEY: world.demo.refund_key,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^CODE_INVALID: Wrong one-time refund code\n {2}剩余次数 attempts left: \d/);
    expect(await world.test.changedSince(checksum)).toEqual([]);
    const error = await refused(expect, state, [
      'authorize',
      refundId,
      '--code',
      wrongCode(code),
      '--key',
      world.demo.refund_key,
    ]);
    expect(error).toMatchObject({ code: 'CODE_INVALID', status: 422 });
    expect(error.attempts_left).toBeGreaterThanOrEqual(0);

    const done = await json(state, ['authorize', refundId, '--code', code], {
      REFUNDKEY_REFUND_KEY: world.demo.refund_key,
    });
    expect(done.status).toBe('succeeded');
  });

  it.sequential('settles with totals that match the sales and refunds', async ({ expect }) => {
    const text = await pos(state, ['settle']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/合计 Total\s+2\s+¥420\.00\s+0\s+¥0\.00\s+2\s+¥300\.00/);
    const again = await refused(expect, state, ['settle']);
    expect(again.code).toBe('BATCH_EMPTY');
  });
});

describe.concurrent.each(DIALECTS)('refundkey pos: large mall [%s]', (dialect) => {
  let world: SdkWorld;
  let dir: string;
  let state: string;
  let wechatSale = '';
  let cardSale = '';

  beforeAll(async () => {
    world = await SdkWorld.start(dialect);
    const owner = await world.staff('owner');
    const policy = await owner.post(`/v1/stores/${world.store(1).id}/refund-policy`, {
      windows_days: { bank_card: 30, qr: 180, order: 365, cash: 7 },
      thresholds: { key_only_max: 20_000, key_and_code_max: 200_000 },
      caps: { operator_daily_amount: null, operator_daily_count: null, store_daily_amount: null, store_daily_count: 2 },
      original_tender_only: true,
      cash_refund_cap: 50_000,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    dir = mkdtempSync(join(tmpdir(), 'refundkey-pos-cli-'));
    state = join(dir, 'pos.json');
    const store = world.store(1);
    await json(state, ['activate', '--url', world.baseUrl, '--code', store.terminals[0]?.activation_code ?? '']);
    world.test.secrets.add('terminal key', JSON.parse(readFileSync(state, 'utf8')).terminal_key);
    const operator = store.operators[0];
    if (!operator) throw new Error('no operator');
    await json(state, ['login', '--operator', operator.operator_no, '--password', operator.password]);
  });
  afterAll(async () => {
    await world?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.sequential('takes a WeChat Pay sale and a credit-card sale', async ({ expect }) => {
    const wechat = await json(state, [
      'sale',
      '--amount',
      '3000',
      '--qr',
      'wechat',
      '--auth-code',
      '134567890123456789',
    ]);
    expect(wechat).toMatchObject({ status: 'succeeded', amount: 300_000, payment_method: { wallet: 'wechat' } });
    wechatSale = wechat.id;
    const card = await pos(state, ['sale', '--amount', '888', '--card', '4242424242424242', '--expiry', '12/30']);
    expect(card.code, card.stderr).toBe(0);
    expect(card.stdout).toMatch(/支付 Paid by\s+银行卡 card \w+ credit/);
    expect(card.stdout).not.toContain('4242424242424242');
    cardSale = /sal_\w+/.exec(card.stdout)?.[0] ?? '';
  });

  it.sequential('a refund above the approval threshold waits until a manager approves it (authorize --wait)', async ({
    expect,
  }) => {
    const before = world.smsCount(OWNER_PHONE);
    const refund = await json(state, ['refund', '--sale', wechatSale, '--amount', '2500', '--reason', '顾客退货']);
    expect(refund.authorization.required).toEqual(['refund_key', 'one_time_code', 'approval']);
    const code = await world.smsCode(OWNER_PHONE, before);
    const waiting = pos(state, ['authorize', refund.id, '--code', code, '--wait', '--json'], {
      REFUNDKEY_REFUND_KEY: world.demo.refund_key,
    });
    // The command is still waiting while nobody approves (bounded wait for the server to record that).
    const refundStatus = async () =>
      (await world.test.db.selectFrom('refunds').select('status').where('id', '=', refund.id).executeTakeFirstOrThrow())
        .status;
    await expect.poll(refundStatus, { timeout: 10_000, interval: 50 }).toBe('pending_approval');
    let exited = false;
    void waiting.then(() => {
      exited = true;
    });
    const status = await json(state, ['status', refund.id]);
    expect(status.status).toBe('pending_approval');
    expect(exited, 'authorize --wait ended before the approval').toBe(false);
    const manager = await world.staff('manager');
    const approved = await manager.post(`/v1/approvals/${refund.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const run = await waiting;
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).status).toBe('succeeded');
  });

  it.sequential('a cash refund of the card sale is refused by the original-tender rule, and nothing changes', async ({
    expect,
  }) => {
    const checksum = await world.test.checksum();
    const error = await refused(expect, state, [
      'refund',
      '--sale',
      cardSale,
      '--amount',
      '100',
      '--reason',
      'cash',
      '--to-cash',
    ]);
    expect(error).toMatchObject({ code: 'REFUND_TENDER_NOT_ALLOWED', status: 422 });
    expect(await world.test.changedSince(checksum)).toEqual([]);
  });

  it.sequential("the store's daily cap refuses the next refund", async ({ expect }) => {
    await json(state, ['refund', '--sale', cardSale, '--amount', '100', '--reason', 'size']);
    const checksum = await world.test.checksum();
    const error = await refused(expect, state, ['refund', '--sale', cardSale, '--amount', '10', '--reason', 'color']);
    expect(error).toMatchObject({ code: 'STORE_DAILY_COUNT_EXCEEDED', status: 422 });
    expect(await world.test.changedSince(checksum)).toEqual([]);
  });

  it.sequential('the answer is lost on the way back: the sale is kept (exit 3), and resume sends it once the server is back', async ({
    expect,
  }) => {
    // A proxy that passes the request to the server and loses its answer (a link that drops mid-sale): the server
    // takes the sale, the command hears nothing.
    const saved = JSON.parse(readFileSync(state, 'utf8')) as Record<string, string>;
    const upstream = new URL(world.baseUrl);
    const proxy = createServer((client) => {
      const server = connect(Number(upstream.port), upstream.hostname);
      client.pipe(server);
      server.on('data', () => {});
      server.on('error', () => client.destroy());
      client.on('error', () => server.destroy());
      client.on('close', () => server.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    const address = proxy.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    writeFileSync(state, JSON.stringify({ ...saved, base_url: `http://127.0.0.1:${port}` }), { mode: 0o600 });
    const card = ['--card', '4242424242424242', '--expiry', '12/30'];
    const lost = await pos(state, ['sale', '--amount', '43.21', ...card, '--timeout', '2']);
    proxy.close();
    // The command gave up when its timeout passed; the server may still be finishing the sale it was passed, so wait
    // (bounded) for it to appear rather than read once. The checks after resume show it stays one.
    await expect
      .poll(() => world.salesCount(world.store(1).terminals[0]?.id ?? '', 4_321), { timeout: 10_000, interval: 50 })
      .toBe(1);
    expect(lost.code, lost.stderr).toBe(3);
    expect(lost.stderr).toContain('refundkey pos resume');
    const pending = (await json(state, ['status'])).pending;
    expect(pending).toHaveLength(1);

    const back = JSON.parse(readFileSync(state, 'utf8')) as Record<string, string>;
    writeFileSync(state, JSON.stringify({ ...back, base_url: world.baseUrl }), { mode: 0o600 });
    const resumed = await json(state, ['resume']);
    expect(resumed.resumed).toMatchObject([{ object: 'sale', status: 'succeeded', amount: 4_321 }]);
    expect(await world.salesCount(world.store(1).terminals[0]?.id ?? '', 4_321)).toBe(1);
    // Resuming again sends nothing and charges nothing.
    expect((await json(state, ['resume'])).resumed).toEqual([]);
    expect(await world.salesCount(world.store(1).terminals[0]?.id ?? '', 4_321)).toBe(1);
    expect(pending[0].idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
  });
});
