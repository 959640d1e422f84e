import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/http/logger.js';
import type { ManualClock } from '../../../src/lib/clock.js';
import { createRefundkey, type Refundkey } from '../../../src/main.js';
import type { OutboundMessage } from '../../../src/modules/notify/outbox.service.js';
import { leakError, SecretRegistry } from '../../support/log-secrets.js';

/**
 * One app instance on a given database with message settings from `env`; log lines captured; the clock shared.
 * close() fails when a captured line holds a code it queued or found in the outbox (issue 5 "Secrets hygiene").
 */
export class NotifyApp {
  readonly secrets = new SecretRegistry();

  private constructor(
    readonly app: Refundkey,
    readonly logs: string[],
    private readonly allowSecretsInLogs: boolean,
  ) {}

  static async start(
    databaseUrl: string,
    clock: ManualClock,
    env: Record<string, string> = {},
    /** Skip the secrets scan at close(), for development mode, which logs message texts on purpose. */
    { allowSecretsInLogs = false }: { allowSecretsInLogs?: boolean } = {},
  ): Promise<NotifyApp> {
    const logs: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const config = loadConfig({ DATABASE_URL: databaseUrl, NODE_ENV: 'test', ...env });
    const app = await createRefundkey(config, { clock, log: createLogger({ level: 'debug', destination: sink }) });
    return new NotifyApp(app, logs, allowSecretsInLogs);
  }

  get services() {
    return this.app.services;
  }

  /** Commit one message the way a domain service does: enqueue inside a transaction. */
  async enqueue(message: OutboundMessage): Promise<string> {
    for (const value of Object.values(message.secretParams ?? {})) {
      this.secrets.add(`one-time code (${message.template})`, value);
    }
    return this.services.database.db.transaction().execute((trx) => this.services.outbox.enqueue(trx, message));
  }

  async row(id: string) {
    const row = await this.services.outbox.find(id);
    if (!row) throw new Error(`no outbox row ${id}`);
    return row;
  }

  /** Run delivery passes until nothing is claimed any more. */
  async drain(maxPasses = 100): Promise<void> {
    for (let i = 0; i < maxPasses; i++) {
      const report = await this.services.delivery.deliverDue();
      if (report.claimed === 0) return;
    }
  }

  /** Close the app; then throw if a captured log line held a secret (naming kind and msg). */
  async close(): Promise<void> {
    let findings: ReturnType<SecretRegistry['scan']> = [];
    try {
      if (!this.allowSecretsInLogs) {
        await this.secrets.addOutboxSecrets(this.services.outbox);
        findings = this.secrets.scan(this.logs);
      }
    } finally {
      await this.app.close();
    }
    if (findings.length > 0) throw leakError(findings);
  }
}

export const CODE_MESSAGE = (
  recipient: string,
  channel: 'sms' | 'email',
  code: string,
  extra: Partial<OutboundMessage> = {},
): OutboundMessage => ({
  merchantId: 'mch_test',
  channel,
  recipient,
  template: 'refund_code',
  params: {
    amount: 1234,
    store: '南京西路店',
    // Ids as the callers queue them; the names as the delivery's directory adds them (here given, no terminals exist).
    terminal: 'trm_8HsK2mD9qLx0Vb4TnP1c',
    terminal_name: '1号收银台',
    operator_no: '03',
    operator_name: '王芳',
    sale_ref: 'sal_3kJ9mQ2xV7pL0a9x8y7z',
    expires_at: '2026-11-25T02:05:00.000Z',
  },
  secretParams: { code },
  ...extra,
});

/** Wait (real time) until `check` holds, for things that arrive over sockets. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
