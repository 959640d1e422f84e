/**
 * The terminal SDK against a running server: `npm start` in one shell, then `npx tsx examples/terminal-sdk.ts`.
 * Reads the demo merchant from data/demo-credentials.json (written by `npm start`); keeps the terminal's state in
 * .tmp/example-terminal.json, so a second run reuses the key (an activation code works once).
 * REFUNDKEY_URL overrides the server (default http://localhost:8080).
 */
import { readFileSync } from 'node:fs';
import { FileStore } from '../src/sdk/file-store.js';
import { NetworkError, RefundkeyError, TerminalClient } from '../src/sdk/index.js';

const { demo } = JSON.parse(readFileSync('data/demo-credentials.json', 'utf8')) as {
  demo: {
    refund_key: string;
    stores: Array<{
      terminals: Array<{ activation_code: string }>;
      operators: Array<{ operator_no: string; password: string }>;
    }>;
  };
};
const store = demo.stores[0];
const operator = store?.operators[0];
if (!store || !operator) throw new Error('no demo store in data/demo-credentials.json; run npm start first');

const pos = new TerminalClient({
  baseUrl: process.env.REFUNDKEY_URL ?? 'http://localhost:8080',
  store: new FileStore('.tmp/example-terminal.json'),
  language: 'en',
});

try {
  // Whatever a previous run left without an answer goes first, with its own idempotency key: never charged twice.
  for (const done of await pos.resume()) console.log('resumed', done.id);
  if (!(await pos.isActivated())) {
    const { terminal_id } = await pos.activate(store.terminals[0]?.activation_code ?? '');
    console.log('activated', terminal_id);
  }
  await pos.signIn(operator.operator_no, operator.password);

  const sale = await pos.sale({
    amount: 12_800,
    payment_method: { type: 'bank_card', card: { number: '6222020000000007', expiry: '12/30', entry_mode: 'chip' } },
  });
  console.log('sale', sale.id, sale.status, sale.payment_method);

  // ¥30.00 back: below the key-only threshold, so the refund key alone authorizes it.
  const refund = await pos.refund({ sale_id: sale.id, amount: 3_000, reason: 'returned goods' });
  console.log('refund needs', refund.authorization.required);
  const done = await pos.authorize(refund.id, { refund_key: demo.refund_key });
  console.log('refund', done.id, done.status);

  const today = await pos.todaySales({ limit: 5 });
  console.log(
    'today',
    today.data.map((s) => `${s.id} ¥${(s.amount / 100).toFixed(2)} ${s.status}`),
  );
} catch (error) {
  if (error instanceof RefundkeyError) {
    console.error(`${error.code}: ${error.message}`, error.attemptsLeft ?? '', error.retryAfterS ?? '');
  } else if (error instanceof NetworkError) {
    console.error('no answer; kept for the next run:', error.operation?.kind ?? '-', error.message);
  } else throw error;
  process.exitCode = 1;
}
