// Reading `refundkey pos` command lines: the flags it takes, the values they must hold, and the mistakes (exit 2).
import { parseArgs } from 'node:util';
import type { PaymentMethod } from '../sdk/index.js';
import { parseYuan } from './pos-format.js';

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

export type Flags = ReturnType<typeof parsePosArgs>['values'];

/** The flags and positionals of a `refundkey pos` command line; an unknown flag throws ERR_PARSE_ARGS_*. */
export function parsePosArgs(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
}

/** A mistake in the command line: printed with a hint, exit 2. */
export class UsageError extends Error {}

/** True for a mistake parseArgs found (an unknown flag, a missing value). */
export function isParseError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** The value of a flag that must be given. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** The first positional argument, which must be given. */
export function positional(args: string[], what: string): string {
  const value = args[0];
  if (!value) throw new UsageError(`${what} is required`);
  return value;
}

/** The refund id a refund command is about (its first positional argument). */
export function refundIdOf(args: string[]): string {
  return positional(args, 'REF (the refund id, ref_…)');
}

/** `value` when it is one of `allowed`; otherwise a usage error saying what is. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], message: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(message);
  return value as T;
}

/** An --amount in yuan as integer fen. */
export function amountOf(text: string | undefined): number {
  const fen = parseYuan(required(text, '--amount'));
  if (fen === undefined) throw new UsageError(`--amount is yuan with at most 2 decimals, e.g. 12.50 (got ${text})`);
  return fen;
}

/** The one payment method the flags name. */
export function paymentOf(flags: Flags, amount: number): PaymentMethod {
  const given = [flags.cash !== undefined, flags.card !== undefined, flags.qr !== undefined, flags.order !== undefined];
  if (given.filter(Boolean).length !== 1) throw new UsageError('give exactly one of --cash, --card, --qr, --order');
  if (flags.cash !== undefined) {
    const tendered = flags.cash === '' ? amount : parseYuan(flags.cash);
    if (tendered === undefined) throw new UsageError('--cash is the tendered amount in yuan, e.g. 100');
    return { type: 'cash', tendered };
  }
  if (flags.card !== undefined) {
    const entry = oneOf(
      flags.entry ?? 'manual',
      ['chip', 'contactless', 'swipe', 'manual'] as const,
      '--entry is chip, contactless, swipe or manual',
    );
    return {
      type: 'bank_card',
      card: { number: flags.card, expiry: required(flags.expiry, '--expiry'), entry_mode: entry },
    };
  }
  if (flags.qr !== undefined) {
    return {
      type: 'qr',
      wallet: oneOf(flags.qr, ['wechat', 'alipay', 'unionpay'] as const, '--qr is wechat, alipay or unionpay'),
      auth_code: required(flags['auth-code'], '--auth-code'),
    };
  }
  return { type: 'order', order_no: flags.order as string };
}
