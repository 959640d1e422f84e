import { z } from 'zod';
import { NOTIFY_CONFIG_HELP, NotifyConfigSchema, notifyEnv } from './modules/notify/notify.config.js';

/** Every setting, parsed once from the environment (and CLI flags), with defaults and help text. */
const ConfigSchema = z.object({
  databaseUrl: z.string().default('sqlite:./data/refundkey.db').describe('sqlite:<path> or postgres://user@host/db'),
  host: z.string().default('127.0.0.1').describe('address the HTTP server listens on'),
  port: z.coerce.number().int().min(0).max(65535).default(8080).describe('port the HTTP server listens on'),
  env: z.enum(['development', 'production', 'test']).default('development').describe('NODE_ENV'),
  secret: z
    .string()
    .min(32)
    .optional()
    .describe('REFUNDKEY_SECRET: server key for HMACs (≥32 chars); required in production'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  refundCodeDigits: z.coerce
    .number()
    .pipe(z.union([z.literal(6), z.literal(8)]))
    .default(6)
    .describe('digits of a one-time refund code'),
  refundCodeTtlMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(10)
    .default(5)
    .describe('lifetime of a one-time refund code'),
  notify: NotifyConfigSchema.default(NotifyConfigSchema.parse({})).describe('SMTP, SMPP, retries and webhooks'),
});

export type Config = z.infer<typeof ConfigSchema>;

export const CONFIG_HELP: Array<[string, string, string]> = [
  ['DATABASE_URL', 'sqlite:./data/refundkey.db', 'sqlite:<path> (embedded, WAL) or postgres://user@host:5432/db'],
  ['HOST', '127.0.0.1', 'listen address of `refundkey serve`'],
  ['PORT', '8080', 'listen port of `refundkey serve`'],
  ['NODE_ENV', 'development', '`production` hides /dev routes and requires REFUNDKEY_SECRET'],
  ['REFUNDKEY_SECRET', '(generated, kept in the database)', 'HMAC key for tokens, codes, card fingerprints'],
  ['LOG_LEVEL', 'info', 'pino level'],
  ['REFUND_CODE_DIGITS', '6', 'digits of a one-time refund code (6 or 8)'],
  ['REFUND_CODE_TTL_MINUTES', '5', 'lifetime of a one-time refund code, 1..10 minutes'],
  ...NOTIFY_CONFIG_HELP,
];

type Env = Record<string, string | undefined>;

/** Parse configuration from env plus explicit overrides (CLI flags win). */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = ConfigSchema.parse({
    databaseUrl: env.DATABASE_URL || undefined,
    host: env.HOST || undefined,
    port: env.PORT || undefined,
    env: env.NODE_ENV || undefined,
    secret: env.REFUNDKEY_SECRET || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    refundCodeDigits: env.REFUND_CODE_DIGITS || undefined,
    refundCodeTtlMinutes: env.REFUND_CODE_TTL_MINUTES || undefined,
    notify: notifyEnv(env),
    ...stripUndefined(overrides),
  });
  if (parsed.env === 'production' && !parsed.secret) {
    throw new Error('REFUNDKEY_SECRET is required when NODE_ENV=production');
  }
  return parsed;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
