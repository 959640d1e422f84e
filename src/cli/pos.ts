import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FileStore } from '../sdk/file-store.js';
import { NetworkError, type PaymentMethod, RefundkeyError, TerminalClient } from '../sdk/index.js';
import { parseYuan, pendingList, refundText, salesList, saleText, settlementText, table, yuan } from './pos-format.js';

const HELP = `refundkey pos — 命令行收银台 / a terminal lane on the command line (the terminal SDK over HTTP)

Usage: refundkey pos <command> [options]

Commands:
  activate --url URL --code CODE      激活终端 activate this terminal (the key is kept in the state file)
  login --operator NO                 操作员登录 sign an operator in (password: --password or REFUNDKEY_OPERATOR_PASSWORD)
  logout                              操作员退出 forget the operator session
  sale --amount Y (--cash TENDERED | --card NUMBER --expiry MM/YY [--entry chip|contactless|swipe|manual]
       | --qr wechat|alipay|unionpay --auth-code CODE | --order ORDER_NO)      消费 take a payment
  refund --sale SAL --amount Y --reason TEXT [--to-cash]                    退款 ask for a refund
  void --sale SAL --reason TEXT                                             撤销 void a whole sale
  authorize REF [--key | REFUNDKEY_REFUND_KEY] [--code CODE] [--wait]       授权 authorize a refund
  resend REF                          重发验证码 a new one-time code (the old one stops working)
  cancel REF                          取消退款 cancel a refund that is not finished
  status [REF|SAL] [--wait]           状态 the terminal and pending operations, or one refund/sale
  today [--limit N] [--starting-after SAL]   今日交易 this terminal's sales of today (Beijing time)
  settle [--allow-empty]              结算 close the open batch
  resume                              恢复 re-send operations left without an answer (same idempotency key)

Options:
  --state FILE   where the terminal key, session and pending operations are kept (mode 0600);
                 env REFUNDKEY_POS_STATE, default ~/.refundkey-pos.json
  --json         one JSON object on stdout (errors: {"error": {...}} on stdout, exit 1)
  --lang en      English messages from the server (default zh-CN)
  --timeout S    seconds to wait for an answer (default 30)
  --show-key     activate: also print the terminal key (it is a secret; it is never printed otherwise)

Amounts are in yuan (12.50 = ¥12.50). Exit codes: 0 done, 1 refused (code and message printed), 2 bad usage,
3 no answer (the operation is kept and 'refundkey pos resume' sends it again without charging twice).`;

const OPTIONS = {
  state: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  timeout: { type: 'string' },
  url: { type: 'string' },
  code: { type: 'string' },
  'show-key': { type: 'boolean' },
  operator: { type: 'string' },
  password: { type: 'string' },
  amount: { type: 'string' },
  cash: { type: 'string' },
  card: { type: 'string' },
  expiry: { type: 'string' },
  entry: { type: 'string' },
  qr: { type: 'string' },
  'auth-code': { type: 'string' },
  order: { type: 'string' },
  sale: { type: 'string' },
  reason: { type: 'string' },
  'to-cash': { type: 'boolean' },
  key: { type: 'string' },
  wait: { type: 'boolean' },
  limit: { type: 'string' },
  'starting-after': { type: 'string' },
  'allow-empty': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
}

/** A mistake in the command line: printed with a hint, exit 2. */
class UsageError extends Error {}

const BASE_URL = 'base_url';

/** `refundkey pos <command>`: the terminal API through the SDK, its state in a 0600 JSON file. */
export async function runPos(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parse(argv);
  const [command, ...args] = positionals;
  if (!command || flags.help || command === 'help') {
    console.log(HELP);
    return command || flags.help ? 0 : 2;
  }
  const out = new Output(Boolean(flags.json));
  try {
    const statePath = resolve(flags.state ?? process.env.REFUNDKEY_POS_STATE ?? join(homedir(), '.refundkey-pos.json'));
    const store = new FileStore(statePath);
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command: pos ${command}`);
    const url = command === 'activate' ? required(flags.url, '--url') : store.get(BASE_URL);
    if (!url)
      throw new UsageError("this state file has no terminal: run 'refundkey pos activate --url URL --code CODE'");
    const timeout = flags.timeout === undefined ? 30 : Number(flags.timeout);
    if (!(timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
    if (flags.lang !== undefined && flags.lang !== 'en' && flags.lang !== 'zh-CN') {
      throw new UsageError('--lang is en or zh-CN');
    }
    const client = new TerminalClient({
      baseUrl: url,
      store,
      timeoutMs: timeout * 1000,
      ...(flags.lang ? { language: flags.lang as 'en' | 'zh-CN' } : {}),
    });
    await run({ client, store, statePath, flags, args, out, url });
    return 0;
  } catch (error) {
    return out.failure(error);
  }
}

interface Context {
  client: TerminalClient;
  store: FileStore;
  statePath: string;
  flags: Flags;
  args: string[];
  out: Output;
  url: string;
}

const COMMANDS: Record<string, (c: Context) => Promise<void>> = {
  async activate({ client, store, statePath, flags, out, url }) {
    const answer = await client.activate(required(flags.code, '--code'));
    store.set(BASE_URL, url.replace(/\/+$/, ''));
    const shown = flags['show-key'] ? { terminal_key: answer.terminal_key } : {};
    out.print({ terminal_id: answer.terminal_id, state: statePath, ...shown }, () =>
      table([
        ['已激活 Activated', answer.terminal_id],
        ['状态文件 State file', `${statePath} (0600)`],
        ...(flags['show-key'] ? ([['终端密钥 Terminal key', answer.terminal_key]] as Array<[string, string]>) : []),
      ]),
    );
  },

  async login({ client, flags, out }) {
    const operator = required(flags.operator, '--operator');
    const password = flags.password ?? process.env.REFUNDKEY_OPERATOR_PASSWORD;
    if (!password) throw new UsageError('--password or REFUNDKEY_OPERATOR_PASSWORD is required');
    await client.signIn(operator, password);
    out.print(
      { signed_in: true, operator_no: operator },
      () => `操作员 ${operator} 已登录 / operator ${operator} signed in`,
    );
  },

  async logout({ client, out }) {
    await client.signOut();
    out.print({ signed_in: false }, () => '操作员已退出 / operator signed out');
  },

  async sale({ client, flags, out }) {
    const amount = amountOf(flags.amount);
    const sale = await client.sale({ amount, payment_method: paymentOf(flags, amount) });
    out.print(sale, () => saleText(sale));
  },

  async refund({ client, flags, out }) {
    const refund = await client.refund({
      sale_id: required(flags.sale, '--sale'),
      amount: amountOf(flags.amount),
      reason: required(flags.reason, '--reason'),
      ...(flags['to-cash'] ? { refund_to: 'cash' as const } : {}),
    });
    out.print(refund, () => refundText(refund));
  },

  async void({ client, flags, out }) {
    const refund = await client.voidSale(required(flags.sale, '--sale'), required(flags.reason, '--reason'));
    out.print(refund, () => refundText(refund));
  },

  async authorize({ client, flags, args, out }) {
    const id = positional(args, 'REF (the refund id, ref_…)');
    const key = flags.key ?? process.env.REFUNDKEY_REFUND_KEY;
    if (key === undefined && flags.code === undefined) {
      throw new UsageError('give --key (or REFUNDKEY_REFUND_KEY) and/or --code');
    }
    let refund = await client.authorize(id, {
      ...(key !== undefined ? { refund_key: key } : {}),
      ...(flags.code !== undefined ? { code: flags.code } : {}),
    });
    if (flags.wait && (refund.status === 'pending_approval' || refund.status === 'processing')) {
      if (!out.json) console.error('等待主管审批… / waiting for a manager to approve…');
      refund = await client.waitForApproval(id, { timeoutMs: 15 * 60_000 });
    }
    const done = refund;
    out.print(done, () => refundText(done));
  },

  async resend({ client, args, out }) {
    const refund = await client.resendCode(positional(args, 'REF (the refund id, ref_…)'));
    out.print(refund, () => refundText(refund));
  },

  async cancel({ client, args, out }) {
    const refund = await client.cancel(positional(args, 'REF (the refund id, ref_…)'));
    out.print(refund, () => refundText(refund));
  },

  async status({ client, statePath, flags, args, out, url }) {
    const id = args[0];
    if (id?.startsWith('sal_')) {
      const sale = await client.getSale(id);
      out.print(sale, () => [saleText(sale), ...sale.refunds.map((r) => `\n${refundText(r)}`)].join('\n'));
      return;
    }
    if (id) {
      const refund = flags.wait
        ? await client.waitForApproval(id, { timeoutMs: 15 * 60_000 })
        : await client.getRefund(id);
      out.print(refund, () => refundText(refund));
      return;
    }
    const pending = await client.pending();
    const state = {
      base_url: url,
      state: statePath,
      activated: await client.isActivated(),
      signed_in: await client.isSignedIn(),
      pending,
    };
    out.print(state, () =>
      [
        table([
          ['服务器 Server', url],
          ['状态文件 State file', statePath],
          ['终端 Terminal', state.activated ? '已激活 activated' : '未激活 not activated'],
          ['操作员 Operator', state.signed_in ? '已登录 signed in' : '未登录 not signed in'],
        ]),
        '',
        pendingList(pending),
      ].join('\n'),
    );
  },

  async today({ client, flags, out }) {
    const limit = flags.limit === undefined ? undefined : Number(flags.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 100)) {
      throw new UsageError('--limit is 1-100');
    }
    const page = await client.todaySales({
      ...(limit !== undefined ? { limit } : {}),
      ...(flags['starting-after'] ? { starting_after: flags['starting-after'] } : {}),
    });
    out.print(page, () => {
      const succeeded = page.data.filter((s) => s.status === 'succeeded');
      const total = succeeded.reduce((sum, s) => sum + s.amount, 0);
      const more = page.has_more ? `\n更多 More: --starting-after ${page.data.at(-1)?.id}` : '';
      return `${salesList(page.data)}\n\n成功 ${succeeded.length} 笔 ${yuan(total)} / ${succeeded.length} succeeded, ${yuan(total)}${more}`;
    });
  },

  async settle({ client, flags, out }) {
    const settlement = await client.settle({ allow_empty: Boolean(flags['allow-empty']) });
    out.print(settlement, () => settlementText(settlement));
  },

  async resume({ client, out }) {
    const results = await client.resume();
    out.print({ resumed: results }, () =>
      results.length === 0
        ? '无待恢复操作 Nothing pending'
        : results
            .map((r) => ('object' in r && r.object === 'sale' ? saleText(r) : JSON.stringify(r, null, 2)))
            .join('\n\n'),
    );
  },
};

/** Human text or one JSON object on stdout; refusals on stderr (or as JSON on stdout with --json). */
class Output {
  constructor(readonly json: boolean) {}

  print(value: unknown, text: () => string): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value)}\n`);
    else console.log(text());
  }

  failure(error: unknown): number {
    if (error instanceof UsageError || isParseError(error)) {
      console.error(`refundkey pos: ${(error as Error).message}; see 'refundkey pos --help'`);
      return 2;
    }
    if (error instanceof RefundkeyError) {
      if (this.json) {
        process.stdout.write(`${JSON.stringify({ error: { ...error.details, status: error.status } })}\n`);
      } else {
        const extra = [
          error.attemptsLeft !== undefined ? `剩余次数 attempts left: ${error.attemptsLeft}` : '',
          error.retryAfterS !== undefined ? `请 ${error.retryAfterS} 秒后重试 retry after ${error.retryAfterS} s` : '',
          error.requestId ? `request ${error.requestId}` : '',
        ].filter(Boolean);
        console.error(`${error.code}: ${error.message}${extra.length ? `\n  ${extra.join('; ')}` : ''}`);
      }
      return 1;
    }
    if (error instanceof NetworkError) {
      const pending = error.operation
        ? { idempotency_key: error.operation.idempotency_key, kind: error.operation.kind }
        : undefined;
      if (this.json) {
        process.stdout.write(`${JSON.stringify({ error: { code: 'NETWORK', message: error.message, pending } })}\n`);
      } else {
        console.error(`网络无应答 no answer: ${error.message}`);
        if (pending) {
          console.error(
            "  操作已保留，请运行 'refundkey pos resume' / kept; run 'refundkey pos resume' (never charged twice)",
          );
        }
      }
      return 3;
    }
    throw error;
  }
}

function isParseError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function positional(args: string[], what: string): string {
  const value = args[0];
  if (!value) throw new UsageError(`${what} is required`);
  return value;
}

function amountOf(text: string | undefined): number {
  const fen = parseYuan(required(text, '--amount'));
  if (fen === undefined) throw new UsageError(`--amount is yuan with at most 2 decimals, e.g. 12.50 (got ${text})`);
  return fen;
}

/** The one payment method the flags name. */
function paymentOf(flags: Flags, amount: number): PaymentMethod {
  const given = [flags.cash !== undefined, flags.card !== undefined, flags.qr !== undefined, flags.order !== undefined];
  if (given.filter(Boolean).length !== 1) throw new UsageError('give exactly one of --cash, --card, --qr, --order');
  if (flags.cash !== undefined) {
    const tendered = flags.cash === '' ? amount : parseYuan(flags.cash);
    if (tendered === undefined) throw new UsageError('--cash is the tendered amount in yuan, e.g. 100');
    return { type: 'cash', tendered };
  }
  if (flags.card !== undefined) {
    const entry = flags.entry ?? 'manual';
    if (!['chip', 'contactless', 'swipe', 'manual'].includes(entry)) {
      throw new UsageError('--entry is chip, contactless, swipe or manual');
    }
    return {
      type: 'bank_card',
      card: {
        number: flags.card,
        expiry: required(flags.expiry, '--expiry'),
        entry_mode: entry as 'chip' | 'contactless' | 'swipe' | 'manual',
      },
    };
  }
  if (flags.qr !== undefined) {
    if (!['wechat', 'alipay', 'unionpay'].includes(flags.qr))
      throw new UsageError('--qr is wechat, alipay or unionpay');
    return {
      type: 'qr',
      wallet: flags.qr as 'wechat' | 'alipay' | 'unionpay',
      auth_code: required(flags['auth-code'], '--auth-code'),
    };
  }
  return { type: 'order', order_no: flags.order as string };
}
