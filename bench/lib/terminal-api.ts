import type { DemoMerchant } from '../../src/modules/demo/demo.service.js';
import { runCli } from './processes.js';

/** What `refundkey demo --json` prints (docs/api.md "Bootstrapping"): the product's own type. */
export type DemoJson = DemoMerchant;

/** An activated terminal with an operator signed in. */
export interface BenchTerminal {
  id: string;
  key: string;
  session: string;
}

export const CARD_OK = {
  type: 'bank_card',
  card: { number: '6222020000000007', expiry: '12/30', entry_mode: 'chip' },
} as const;

/** Demo data through the CLI against the bench database, as an outside user would create it. */
export function createDemo(databaseUrl: string): DemoJson {
  const out = runCli(['demo', '--json', '--database-url', databaseUrl]);
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as DemoJson;
}

/** A JSON request; the parsed body and status. */
export async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; text: string }> {
  const answer = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await answer.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: answer.status, body: parsed, text };
}

export function terminalHeaders(terminal: BenchTerminal, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${terminal.key}`, 'x-operator-session': terminal.session, ...extra };
}

/** Activate every demo terminal and sign its store's first operator in on it. */
export async function activateAll(base: string, demo: DemoJson): Promise<BenchTerminal[]> {
  const terminals: BenchTerminal[] = [];
  for (const store of demo.stores) {
    const operator = store.operators[0];
    if (!operator) throw new Error('demo store without operator');
    for (const t of store.terminals) {
      const activated = await call(base, 'POST', '/v1/terminals/activate', {
        body: { activation_code: t.activation_code },
      });
      const key = field(activated.body, 'terminal_key');
      const signed = await call(base, 'POST', '/v1/operator-sessions', {
        body: { operator_no: operator.operator_no, password: operator.password },
        headers: { authorization: `Bearer ${key}` },
      });
      terminals.push({ id: t.id, key, session: field(signed.body, 'operator_session') });
    }
  }
  return terminals;
}

/** A string field of an answer, or an error that shows the answer. */
export function field(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string') throw new Error(`expected "${name}" in ${JSON.stringify(body)}`);
  return value;
}

/** Card sales of `amount` through the API, `count` of them with `concurrency` in flight; their ids. */
export async function makeSales(
  base: string,
  terminals: BenchTerminal[],
  count: number,
  amount: number,
  concurrency = 8,
): Promise<Array<{ saleId: string; terminal: BenchTerminal }>> {
  const made: Array<{ saleId: string; terminal: BenchTerminal }> = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const terminal = terminals[i % terminals.length];
      if (!terminal) throw new Error('no terminal');
      const answer = await call(base, 'POST', '/v1/sales', {
        body: { amount, currency: 'CNY', payment_method: CARD_OK },
        headers: terminalHeaders(terminal, { 'idempotency-key': `prep-${process.pid}-${Date.now()}-${i}` }),
      });
      if (answer.status !== 201) throw new Error(`sale failed: ${answer.status} ${answer.text}`);
      made.push({ saleId: field(answer.body, 'id'), terminal });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return made;
}
