// The commands of `refundkey pos`: each reads its flags, makes one call through the terminal SDK, and prints the answer.
import type { FileStore } from '../sdk/file-store.js';
import type { TerminalClient } from '../sdk/index.js';
import { amountOf, type Flags, paymentOf, refundIdOf, required, UsageError } from './pos-flags.js';
import { pendingList, refundText, salesList, saleText, settlementText, table, yuan } from './pos-format.js';
import type { Output } from './pos-output.js';

/** The state file's entry for the server this terminal was activated on. */
export const BASE_URL = 'base_url';

/** How long `--wait` waits for a manager to approve a refund. */
const APPROVAL_WAIT_MS = 15 * 60_000;

/** What a command works with: the SDK client over the state file, the flags and arguments, where to print. */
export interface Context {
  client: TerminalClient;
  store: FileStore;
  statePath: string;
  flags: Flags;
  args: string[];
  out: Output;
  url: string;
}

/** Each `refundkey pos` command by its name. */
export const COMMANDS: Record<string, (c: Context) => Promise<void>> = {
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
    const id = refundIdOf(args);
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
      refund = await client.waitForApproval(id, { timeoutMs: APPROVAL_WAIT_MS });
    }
    const done = refund;
    out.print(done, () => refundText(done));
  },

  async resend({ client, args, out }) {
    const refund = await client.resendCode(refundIdOf(args));
    out.print(refund, () => refundText(refund));
  },

  async cancel({ client, args, out }) {
    const refund = await client.cancel(refundIdOf(args));
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
        ? await client.waitForApproval(id, { timeoutMs: APPROVAL_WAIT_MS })
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
