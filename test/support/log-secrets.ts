import { luhnValid } from '../../src/modules/acquirer/card.js';
import type { OutboxService } from '../../src/modules/notify/outbox.service.js';

/** Shorter values would match ordinary text by chance (docs/security.md secrets are all longer). */
const MIN_SECRET_LENGTH = 6;

/** Request body fields that carry a secret the test gave the app, and what it is. */
export const REQUEST_SECRET_FIELDS: Record<string, string> = {
  password: 'password',
  new_password: 'password',
  old_password: 'password',
  token: 'token',
  refund_key: 'refund key',
  new_key: 'refund key',
  old_key: 'refund key',
  confirm_key: 'refund key',
  code: 'one-time code',
  confirmation: 'confirmation',
  activation_code: 'activation code',
};

/** Response body fields that carry a secret the app handed out. */
export const RESPONSE_SECRET_FIELDS: Record<string, string> = {
  terminal_key: 'terminal key',
  operator_session: 'operator session',
  csrf_token: 'CSRF token',
  secret: 'webhook secret',
};

/** A secret found in a captured log line: what kind, and the line's `msg` (never the secret itself). */
export interface LeakFinding {
  kind: string;
  msg: string;
}

/**
 * Every secret one test app saw (docs/security.md "Logs": never a password, refund key, code, token, session id or card
 * number), and a scan of captured log lines for them and for card numbers.
 */
export class SecretRegistry {
  private readonly secrets = new Map<string, string>();

  /** Remember `value` as a secret of `kind`; values that are not strings, or too short to be told apart, are skipped. */
  add(kind: string, value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    if (!this.secrets.has(value)) this.secrets.set(value, kind);
  }

  /** Remember the secret fields of a JSON body, at any depth. */
  addFields(body: unknown, fields: Record<string, string>, depth = 0): void {
    if (depth > 8 || typeof body !== 'object' || body === null) return;
    for (const [name, value] of Object.entries(body)) {
      const kind = fields[name];
      if (kind !== undefined) this.add(kind, value);
      else this.addFields(value, fields, depth + 1);
    }
  }

  /** Remember the secrets of request headers: bearer keys, operator sessions, CSRF tokens, session cookies. */
  addRequestHeaders(headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) {
      const header = name.toLowerCase();
      if (header === 'authorization') this.add('terminal key', /^Bearer\s+(.+)$/i.exec(value)?.[1]);
      else if (header === 'x-operator-session') this.add('operator session', value);
      else if (header === 'x-csrf-token') this.add('CSRF token', value);
      else if (header === 'cookie')
        for (const cookie of value.split(';')) this.add('session cookie', cookie.split('=')[1]?.trim());
    }
  }

  /** Remember the cookie values a response set (the session id). */
  addSetCookies(raw: unknown): void {
    const lines = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
    for (const line of lines) this.add('session cookie', /^[^=]+=([^;]*)/.exec(line)?.[1]);
  }

  /** Remember the sealed parameters (one-time and recovery codes) of every message still in the outbox. */
  async addOutboxSecrets(outbox: OutboxService): Promise<void> {
    for (const row of await outbox.listFor(undefined, 10_000)) {
      const plain = (JSON.parse(row.payload) as { params?: Record<string, unknown> }).params ?? {};
      for (const [name, value] of Object.entries(outbox.parameters(row))) {
        if (!(name in plain)) this.add(`one-time code (${row.template})`, value);
      }
    }
  }

  get size(): number {
    return this.secrets.size;
  }

  /** Every (kind, msg) pair of a captured line holding a known secret or a card number; each pair once. */
  scan(lines: readonly string[]): LeakFinding[] {
    const found = new Map<string, LeakFinding>();
    const note = (kind: string, line: string) => {
      const msg = messageOf(line);
      found.set(`${kind}\u0000${msg}`, { kind, msg });
    };
    const numeric = [...this.secrets].filter(([value]) => /^\d+$/.test(value));
    const other = [...this.secrets].filter(([value]) => !/^\d+$/.test(value));
    for (const line of lines) {
      for (const [value, kind] of other) if (line.includes(value)) note(kind, line);
      // A digits-only secret (an operator password, a code) counts only as a whole number, not inside a timestamp.
      if (numeric.length > 0) {
        const runs = new Set(line.match(/\d+/g) ?? []);
        for (const [value, kind] of numeric) if (runs.has(value)) note(kind, line);
      }
      for (const digits of line.match(/(?<!\d)[3-6]\d{12,18}(?!\d)/g) ?? [])
        if (luhnValid(digits)) note('card number', line);
    }
    return [...found.values()];
  }
}

/** The error a test app's close() throws when its logs held secrets. */
export function leakError(findings: LeakFinding[]): Error {
  const list = findings.map((f) => `${f.kind} in a "${f.msg}" line`).join('; ');
  return new Error(`secrets in captured log lines (docs/security.md "Logs"): ${list}`);
}

function messageOf(line: string): string {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed && typeof parsed.msg === 'string')
      return parsed.msg;
    return '(no msg)';
  } catch {
    return '(not JSON)';
  }
}
