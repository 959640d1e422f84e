import pino from 'pino';
import { luhnValid } from '../modules/acquirer/card.js';

// Field names that hold secrets anywhere in a logged object (docs/security.md "Secrets at rest": logs never hold a password, key, code, token or card number).
const SECRET_FIELDS = [
  'password',
  'new_password',
  'refund_key',
  'new_refund_key',
  'old_refund_key',
  'otp',
  'token',
  'terminal_key',
  'activation_code',
  'operator_session',
  'number',
  'pan',
  'secret',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-operator-session"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]),
  // `code` alone is also an error code; a one-time code only ever travels in a body or an input.
  ...['body.code', '*.body.code', 'input.code', '*.input.code'],
];

/** A card number that slipped into free text is masked before the line is written. */
export function maskCardNumbers(line: string): string {
  return line.replace(/(?<!\d)[3-6]\d{12,18}(?!\d)/g, (digits) =>
    luhnValid(digits) ? `${digits.slice(0, 6)}******${digits.slice(-4)}` : digits,
  );
}

/** The product's logger: JSON lines, secrets redacted by path, card numbers masked in every line. */
export function createLogger({
  level = 'info',
  destination,
}: {
  level?: string;
  destination?: pino.DestinationStream;
} = {}): pino.Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: {
        streamWrite: maskCardNumbers,
      },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
