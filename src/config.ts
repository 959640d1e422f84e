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
  databaseWaitSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(60)
    .describe('how long `serve` waits for the database at start'),
  argon2Threads: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .optional()
    .describe('ARGON2_THREADS: threads verifying refund keys and passwords; default: cores − 1 (at least 1)'),
  webauthnRpId: z
    .string()
    .min(1)
    .optional()
    .describe('WEBAUTHN_RP_ID: passkey relying-party id (a domain); default: the host the request came to'),
  webauthnOrigin: z
    .url()
    .optional()
    .describe('WEBAUTHN_ORIGIN: the console origin passkeys are made on; default: scheme://host of the request'),
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
  ['DATABASE_WAIT_SECONDS', '60', 'how long `serve` waits (with backoff) for a database that is not up yet; 0..3600'],
  [
    'ARGON2_THREADS',
    '(cores − 1, at least 1)',
    'threads that verify refund keys and passwords (Argon2id) at low priority; 1..64, 32 waiting each',
  ],
  ['WEBAUTHN_RP_ID', '(the request host)', 'passkey relying-party id, a domain (browsers refuse bare IP addresses)'],
  [
    'WEBAUTHN_ORIGIN',
    '(scheme://host of the request)',
    'origin the console is served from, e.g. https://pos.example.com',
  ],
  ...NOTIFY_CONFIG_HELP,
];

type Env = Record<string, string | undefined>;

/** Settings as given on the command line: flags arrive as strings and are checked like the environment. */
export type ConfigOverrides = { [K in keyof Config]?: Config[K] | string };

/** A configuration that cannot be used: one line per problem, each naming the variable (or flag) to change. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const ENV_NAMES: Record<Exclude<keyof Config, 'notify'>, string> = {
  databaseUrl: 'DATABASE_URL',
  host: 'HOST',
  port: 'PORT',
  env: 'NODE_ENV',
  secret: 'REFUNDKEY_SECRET',
  logLevel: 'LOG_LEVEL',
  refundCodeDigits: 'REFUND_CODE_DIGITS',
  refundCodeTtlMinutes: 'REFUND_CODE_TTL_MINUTES',
  databaseWaitSeconds: 'DATABASE_WAIT_SECONDS',
  argon2Threads: 'ARGON2_THREADS',
  webauthnRpId: 'WEBAUTHN_RP_ID',
  webauthnOrigin: 'WEBAUTHN_ORIGIN',
};

const FLAG_NAMES: Partial<Record<keyof Config, string>> = {
  databaseUrl: '--database-url',
  host: '--host',
  port: '--port',
};

// notifyEnv reads each variable by name; asking it with an environment that answers every name with itself maps
// each notify setting back to its variable, so the notify module's own list stays the only one.
const NOTIFY_ENV_NAMES = notifyEnv(new Proxy({}, { get: (_target, name) => String(name) }));

/** Parse configuration from env plus explicit overrides (CLI flags win); a ConfigError lists every problem. */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const given = stripUndefined(overrides);
  const result = ConfigSchema.safeParse({
    databaseUrl: env.DATABASE_URL || undefined,
    host: env.HOST || undefined,
    port: env.PORT || undefined,
    env: env.NODE_ENV || undefined,
    secret: env.REFUNDKEY_SECRET || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    refundCodeDigits: env.REFUND_CODE_DIGITS || undefined,
    refundCodeTtlMinutes: env.REFUND_CODE_TTL_MINUTES || undefined,
    databaseWaitSeconds: env.DATABASE_WAIT_SECONDS || undefined,
    argon2Threads: env.ARGON2_THREADS || undefined,
    webauthnRpId: env.WEBAUTHN_RP_ID || undefined,
    webauthnOrigin: env.WEBAUTHN_ORIGIN || undefined,
    notify: notifyEnv(env),
    ...given,
  });
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, env, given)));
  }
  const parsed = result.data;
  if (parsed.env === 'production' && !parsed.secret) {
    throw new ConfigError([
      'REFUNDKEY_SECRET: required when NODE_ENV=production (at least 32 characters, e.g. `openssl rand -hex 32`)',
    ]);
  }
  return parsed;
}

/** One readable line: which variable, what was given (unless it may be a secret), what is allowed. */
function describeIssue(issue: z.core.$ZodIssue, env: Env, given: Record<string, unknown>): string {
  const [top, sub] = issue.path.map(String);
  let name: string;
  if (top === 'notify' && sub) name = NOTIFY_ENV_NAMES[sub] ?? sub;
  else if (top && top in given) name = FLAG_NAMES[top as keyof Config] ?? ENV_NAMES[top as keyof typeof ENV_NAMES];
  else name = ENV_NAMES[top as keyof typeof ENV_NAMES] ?? top ?? 'configuration';
  const raw = top && top in given ? given[top] : env[name];
  const shown = raw === undefined || /SECRET|PASS|URL/.test(name) ? '' : ` (got ${JSON.stringify(String(raw))})`;
  return `${name}${shown}: ${allowed(issue)}`;
}

function allowed(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${issue.minimum} characters long`
        : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters long`
        : `must be at most ${issue.maximum}`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'must be a whole number' : `must be a ${issue.expected}`;
    case 'invalid_union': {
      // A choice of literals (REFUND_CODE_DIGITS: 6 or 8) reports one failed branch each: name the allowed values.
      const values = issue.errors.flat().flatMap((i) => (i.code === 'invalid_value' ? i.values.map(String) : []));
      return values.length ? `must be one of ${values.join(', ')}` : 'is not one of the allowed values';
    }
    default:
      return issue.message;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
