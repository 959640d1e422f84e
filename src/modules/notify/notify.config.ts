import { z } from 'zod';

/** Message settings (SMTP, SMPP, retries, webhooks), parsed with the rest of the configuration in src/config.ts. */
export const NotifyConfigSchema = z.object({
  smtpUrl: z.string().optional().describe('smtp://user:pass@host:587 or smtps://host:465'),
  smtpHost: z.string().optional(),
  smtpPort: z.coerce.number().int().min(1).max(65535).optional(),
  smtpSecure: z.enum(['auto', 'tls', 'starttls', 'none']).default('auto'),
  smtpUser: z.string().optional(),
  smtpPass: z.string().optional(),
  smtpFrom: z.string().default('refundkey <no-reply@refundkey.local>'),
  smppUrl: z.string().optional().describe('smpp://system_id:password@host:2775 (ssmpp:// for TLS)'),
  smppHost: z.string().optional(),
  smppPort: z.coerce.number().int().min(1).max(65535).optional(),
  smppSystemId: z.string().optional(),
  smppPassword: z.string().optional(),
  smppSourceAddr: z.string().default('refundkey'),
  smppReceiptIdForm: z.enum(['same', 'decimal', 'hex']).default('same'),
  smsSignature: z
    .string()
    .trim()
    .regex(/^【?[^【】]{2,16}】?$/, 'must be 2 to 16 characters, with or without 【】, e.g. 【好店收银】')
    .transform((s) => `【${s.replace(/^【|】$/g, '')}】`)
    .default('【refundkey】'),
  giveUpHours: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  webhookMaxAttempts: z.coerce.number().int().min(1).max(50).default(8),
  leaseSeconds: z.coerce.number().int().min(5).max(3600).default(120),
});

export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

type Env = Record<string, string | undefined>;

/** The raw values for NotifyConfigSchema from the environment (empty strings count as unset). */
export function notifyEnv(env: Env): Record<string, string | undefined> {
  const pick = (name: string) => env[name] || undefined;
  return {
    smtpUrl: pick('SMTP_URL'),
    smtpHost: pick('SMTP_HOST'),
    smtpPort: pick('SMTP_PORT'),
    smtpSecure: pick('SMTP_SECURE'),
    smtpUser: pick('SMTP_USER'),
    smtpPass: pick('SMTP_PASS'),
    smtpFrom: pick('SMTP_FROM'),
    smppUrl: pick('SMPP_URL'),
    smppHost: pick('SMPP_HOST'),
    smppPort: pick('SMPP_PORT'),
    smppSystemId: pick('SMPP_SYSTEM_ID'),
    smppPassword: pick('SMPP_PASSWORD'),
    smppSourceAddr: pick('SMPP_SOURCE_ADDR'),
    smppReceiptIdForm: pick('SMPP_RECEIPT_ID_FORM'),
    smsSignature: pick('SMS_SIGNATURE'),
    giveUpHours: pick('MESSAGE_GIVE_UP_HOURS'),
    webhookMaxAttempts: pick('WEBHOOK_MAX_ATTEMPTS'),
    leaseSeconds: pick('MESSAGE_LEASE_SECONDS'),
  };
}

export const NOTIFY_CONFIG_HELP: Array<[string, string, string]> = [
  [
    'SMTP_URL',
    '(unset)',
    'e-mail server as smtp://user:pass@host:587 or smtps://user:pass@host:465; or the SMTP_* below',
  ],
  [
    'SMTP_HOST / SMTP_PORT',
    '(unset) / 587',
    'e-mail server; without SMTP_URL or SMTP_HOST e-mail stays in the dev outbox',
  ],
  [
    'SMTP_SECURE',
    'auto',
    '`tls` (implicit, port 465), `starttls` (required), `none` (plain), `auto` (STARTTLS if offered)',
  ],
  ['SMTP_USER / SMTP_PASS', '(unset)', 'SMTP authentication'],
  ['SMTP_FROM', 'refundkey <no-reply@refundkey.local>', 'sender address of every e-mail'],
  ['SMPP_URL', '(unset)', 'SMSC as smpp://system_id:password@host:2775 (ssmpp:// for TLS); or the SMPP_* below'],
  ['SMPP_HOST / SMPP_PORT', '(unset) / 2775', 'SMSC; without SMPP_URL or SMPP_HOST SMS stay in the dev outbox'],
  ['SMPP_SYSTEM_ID / SMPP_PASSWORD', '(unset)', 'bind_transceiver credentials'],
  ['SMPP_SOURCE_ADDR', 'refundkey', 'sender (source_addr) of every SMS'],
  [
    'SMPP_RECEIPT_ID_FORM',
    'same',
    'message ids in delivery receipts: `same` as submit_sm_resp, `decimal` (submit_sm_resp gave hex), `hex` (it gave decimal)',
  ],
  [
    'SMS_SIGNATURE',
    '【refundkey】',
    'signature at the start of every SMS (and e-mail subject): the one registered with the carriers, 2-16 characters',
  ],
  [
    'MESSAGE_GIVE_UP_HOURS',
    '24',
    'stop retrying a message after this long (a one-time code gives up at its own expiry)',
  ],
  ['WEBHOOK_MAX_ATTEMPTS', '8', 'a webhook delivery is marked failed after this many attempts'],
  [
    'MESSAGE_LEASE_SECONDS',
    '120',
    'a message claimed by a worker that died is retried by another after this long (at least once, never lost)',
  ],
];
