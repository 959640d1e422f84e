// `refundkey pos`: its help, and the entry that opens the state file and the SDK client and runs one command.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileStore } from '../sdk/file-store.js';
import { TerminalClient } from '../sdk/index.js';
import { BASE_URL, COMMANDS } from './pos-commands.js';
import { oneOf, parsePosArgs, required, UsageError } from './pos-flags.js';
import { Output } from './pos-output.js';

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

/** `refundkey pos <command>`: the terminal API through the SDK, its state in a 0600 JSON file. */
export async function runPos(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parsePosArgs(argv);
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
    const language =
      flags.lang === undefined ? undefined : oneOf(flags.lang, ['en', 'zh-CN'] as const, '--lang is en or zh-CN');
    const client = new TerminalClient({
      baseUrl: url,
      store,
      timeoutMs: timeout * 1000,
      ...(language ? { language } : {}),
    });
    await run({ client, store, statePath, flags, args, out, url });
    return 0;
  } catch (error) {
    return out.failure(error);
  }
}
