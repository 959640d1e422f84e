import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import type { DialectName } from '../../src/db/database.js';
import type { DB } from '../../src/db/schema.js';
import { createLogger } from '../../src/http/logger.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createRefundkey, type Overrides, type Refundkey } from '../../src/main.js';
import type { DemoMerchant } from '../../src/modules/demo/demo.service.js';
import { changedTables, DumpCache, RECORDS_REFUSALS, type TableDump } from '../reliability/support/table-checksum.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { leakError, REQUEST_SECRET_FIELDS, RESPONSE_SECRET_FIELDS, SecretRegistry } from './log-secrets.js';
import { openAppLogs } from './open-apps.js';
import { rememberSecondFactor } from './staff-client.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read untyped JSON answers of the API under test; the assertions check their shape
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/**
 * A real refundkey on a fresh database, driven in process, with a movable clock and every log line captured.
 * close() fails when a captured line holds a secret the app saw (issue 5 "Secrets hygiene").
 */
export class TestApp {
  /** Every secret handed to or out by this app during the test, scanned for in `logs` at close(). */
  readonly secrets = new SecretRegistry();
  private closed = false;
  /** checksum()'s dumps: a full one only when the write fingerprint moved since the last (table-checksum.ts). */
  readonly dumps: DumpCache<DB>;

  private constructor(
    readonly dialect: DialectName,
    readonly app: Refundkey,
    readonly clock: ManualClock,
    readonly logs: string[],
    private readonly database: TestDatabase,
    private readonly allowSecretsInLogs: boolean,
  ) {
    this.dumps = new DumpCache(app.services.database.db, dialect, REFUSAL_MAY_CHANGE);
  }

  static async start(
    dialect: DialectName,
    {
      clock = new ManualClock(),
      env = {},
      acquirer,
      random,
      allowSecretsInLogs = false,
      botCheckBits = FIXTURE_BOT_CHECK_BITS,
    }: {
      clock?: ManualClock;
      /** Extra settings, e.g. SMTP_URL. */ env?: Record<string, string>;
      /** Another acquirer in place of the sandbox, e.g. one whose network fails. */ acquirer?: Overrides['acquirer'];
      /** The app's randomness (codes, keys, demo credentials); a CSPRNG unless a test needs to know its draws. */
      random?: Overrides['random'];
      /** Skip the secrets scan at close(), for a test that runs development mode and expects codes in the log. */
      allowSecretsInLogs?: boolean;
      /**
       * Work of the applications' bot check: FIXTURE_BOT_CHECK_BITS unless a suite about the bot check asks for the
       * product's (BOT_CHECK.bits). At 16 bits every application a fixture submits cost ~0.17 s of blocking CPU.
       */
      botCheckBits?: number;
    } = {},
  ): Promise<TestApp> {
    const database = await createTestDatabase(dialect, { migrated: true });
    const logs: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const config = loadConfig({ DATABASE_URL: database.url, NODE_ENV: 'test', ...env });
    const app = await createRefundkey(config, {
      clock,
      log: createLogger({ level: 'debug', destination: sink }),
      ...(acquirer ? { acquirer } : {}),
      ...(random ? { random } : {}),
      botCheckBits,
    });
    openAppLogs().add(logs);
    return new TestApp(dialect, app, clock, logs, database, allowSecretsInLogs);
  }

  get services() {
    return this.app.services;
  }

  /** The app's Kysely instance, for assertions on stored rows. */
  get db() {
    return this.app.services.database.db;
  }

  /** Row counts of every table, for a test that expects rows to be added; a refusal is checked with checksum(). */
  async rowCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of await this.db.introspection.getTables()) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table.name)}`.execute(
        this.db,
      );
      counts[table.name] = Number(rows[0]?.n ?? 0);
    }
    return counts;
  }

  /**
   * A checksum of every table (table-checksum.ts), to show that a refused request changed nothing: no row added,
   * removed or updated. Left out: what docs/security.md requires a refusal to record (wrong-entry counters, lockouts, the
   * audit log), and a back-office session's last-seen time. When no row was written since the last checksum (the exact
   * write fingerprint of table-checksum.ts did not move) that checksum is the answer, without reading every table again.
   */
  checksum(): Promise<TableDump> {
    return this.dumps.dump();
  }

  /** Names of the tables whose checksum differs from `before`: `[]` when nothing changed. */
  async changedSince(before: TableDump): Promise<string[]> {
    return changedTables(before, await this.checksum());
  }

  async request(
    method: 'GET' | 'POST',
    url: string,
    { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const raw = typeof body === 'string';
    this.secrets.addFields(body, REQUEST_SECRET_FIELDS);
    this.secrets.addRequestHeaders(headers);
    const response = await this.app.server.inject({
      method,
      url,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: raw ? body : JSON.stringify(body) } : {}),
    });
    const text = response.body;
    const answer = {
      status: response.statusCode,
      body: text ? JSON.parse(text) : undefined,
      headers: response.headers,
    };
    this.secrets.addFields(answer.body, RESPONSE_SECRET_FIELDS);
    this.secrets.addSetCookies(response.headers['set-cookie']);
    return answer;
  }

  /** A demo merchant whose first terminal of each store is activated with an operator signed in. */
  async seedMerchant(): Promise<SeededMerchant> {
    const demo = await this.services.demo.createDemoMerchant();
    this.secrets.add('password', demo.owner.password);
    this.secrets.add('password', demo.manager.password);
    this.secrets.add('refund key', demo.refund_key);
    for (const person of [demo.owner, demo.manager]) {
      rememberSecondFactor(this, person.login, { totpSecret: person.totp_secret, backupCodes: person.backup_codes });
    }
    for (const store of demo.stores) {
      for (const operator of store.operators) this.secrets.add('password', operator.password);
      for (const terminal of store.terminals) this.secrets.add('activation code', terminal.activation_code);
    }
    const terminals: TerminalClient[] = [];
    for (const store of demo.stores) {
      for (const terminal of store.terminals) {
        const activated = await this.request('POST', '/v1/terminals/activate', {
          body: { activation_code: terminal.activation_code },
        });
        if (activated.status !== 201) throw new Error(`activation failed: ${JSON.stringify(activated.body)}`);
        const key = activated.body.terminal_key as string;
        const operator = store.operators[0];
        if (!operator) throw new Error('demo store without operator');
        const session = await this.request('POST', '/v1/operator-sessions', {
          body: { operator_no: operator.operator_no, password: operator.password },
          headers: { authorization: `Bearer ${key}` },
        });
        if (session.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(session.body)}`);
        terminals.push(new TerminalClient(this, terminal.id, store.id, key, session.body.operator_session as string));
      }
    }
    return { demo, terminals, terminal: terminals[0] as TerminalClient };
  }

  /** Close the app and drop its database; then throw if a captured log line held a secret (naming kind and msg). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let findings: ReturnType<SecretRegistry['scan']> = [];
    try {
      if (!this.allowSecretsInLogs) {
        await this.secrets.addOutboxSecrets(this.services.outbox);
        findings = this.secrets.scan(this.logs);
      }
    } finally {
      openAppLogs().delete(this.logs);
      await this.app.close();
      await this.database.drop();
    }
    if (findings.length > 0) throw leakError(findings);
  }
}

/** The bot check's work for fixtures: 1,024 hashes on average instead of 65,536 (src/modules/applications/bot-check.ts). */
export const FIXTURE_BOT_CHECK_BITS = 10;

/** What a refusal may change: the wrong-entry records docs/security.md requires, and a session's last-seen time. */
export const REFUSAL_MAY_CHANGE = {
  tables: RECORDS_REFUSALS.tables,
  columns: new RegExp(`${RECORDS_REFUSALS.columns.source}|last_seen`, 'i'),
};

export interface SeededMerchant {
  demo: DemoMerchant;
  terminals: TerminalClient[];
  /** The first terminal of the first store. */
  terminal: TerminalClient;
}

let keySeq = 0;
/** Routes that require an Idempotency-Key (docs/api.md); post() sends a fresh one unless the test gives its own. */
const KEYED_ROUTES = ['/v1/sales', '/v1/refunds', '/v1/settlements'];

/** A terminal with its key and a signed-in operator, speaking the terminal API. */
export class TerminalClient {
  constructor(
    private readonly test: TestApp,
    readonly id: string,
    readonly storeId: string,
    readonly key: string,
    readonly session: string,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.key}`, 'x-operator-session': this.session, ...extra };
  }

  post(
    url: string,
    body?: unknown,
    { idempotencyKey, headers = {} }: { idempotencyKey?: string; headers?: Record<string, string> } = {},
  ) {
    const key = idempotencyKey ?? (KEYED_ROUTES.includes(url) ? `k-${process.pid}-${++keySeq}` : undefined);
    return this.test.request('POST', url, {
      body,
      headers: this.headers({ ...(key ? { 'idempotency-key': key } : {}), ...headers }),
    });
  }

  get(url: string) {
    return this.test.request('GET', url, { headers: this.headers() });
  }

  /** A succeeded sale of `amount` fen with a test card (or another method). */
  // biome-ignore lint/suspicious/noExplicitAny: the Sale as JSON, read by the tests' assertions
  async sale(amount: number, paymentMethod: unknown = CARD_OK): Promise<any> {
    const answer = await this.post('/v1/sales', { amount, currency: 'CNY', payment_method: paymentMethod });
    if (answer.status !== 201) throw new Error(`sale failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

export const CARD_OK = { type: 'bank_card', card: { number: '6222020000000007', expiry: '12/30', entry_mode: 'chip' } };
export const CASH = (tendered: number) => ({ type: 'cash', tendered });
