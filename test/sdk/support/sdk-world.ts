import type { DialectName } from '../../../src/db/database.js';
import type { DemoMerchant } from '../../../src/modules/demo/demo.service.js';
import { RefundkeyError } from '../../../src/sdk/index.js';
import { FakeSmsc } from '../../notify/support/smsc.js';
import { SmtpSink } from '../../notify/support/smtp-sink.js';
import { rememberSecondFactor, StaffClient } from '../../support/staff-client.js';
import { TestApp } from '../../support/test-app.js';

/**
 * A real refundkey listening on a loopback port, its messages going to real SMTP and SMPP test servers, and a fresh demo
 * merchant (not activated: the stories activate their terminals themselves).
 */
export class SdkWorld {
  private constructor(
    readonly test: TestApp,
    readonly baseUrl: string,
    readonly smsc: FakeSmsc,
    readonly smtp: SmtpSink,
    readonly demo: DemoMerchant,
  ) {}

  static async start(dialect: DialectName): Promise<SdkWorld> {
    const smsc = new FakeSmsc();
    const smtp = new SmtpSink();
    await Promise.all([smsc.start(), smtp.start()]);
    const test = await TestApp.start(dialect, { env: { SMTP_URL: smtp.url, SMTP_SECURE: 'none', SMPP_URL: smsc.url } });
    await test.app.server.listen({ host: '127.0.0.1', port: 0 });
    const address = test.app.server.server.address();
    if (!address || typeof address === 'string') throw new Error('server has no TCP address');
    const demo = await test.services.demo.createDemoMerchant();
    test.secrets.add('password', demo.owner.password);
    test.secrets.add('password', demo.manager.password);
    test.secrets.add('refund key', demo.refund_key);
    for (const person of [demo.owner, demo.manager]) {
      rememberSecondFactor(test, person.login, { totpSecret: person.totp_secret, backupCodes: person.backup_codes });
    }
    for (const store of demo.stores) {
      for (const operator of store.operators) test.secrets.add('password', operator.password);
      for (const terminal of store.terminals) test.secrets.add('activation code', terminal.activation_code);
    }
    return new SdkWorld(test, `http://127.0.0.1:${address.port}`, smsc, smtp, demo);
  }

  store(index: number) {
    const store = this.demo.stores[index];
    if (!store) throw new Error(`demo store ${index} missing`);
    return store;
  }

  /** The owner or manager in the back office, re-authenticated, speaking the staff API. */
  async staff(who: 'owner' | 'manager'): Promise<StaffClient> {
    const person = this.demo[who];
    const client = await StaffClient.signIn(this.test, person.login, person.password);
    await client.reauth();
    return client;
  }

  /** How many refund codes reached `phone` by SMS so far. */
  smsCount(phone: string): number {
    return this.smsc.messages().filter((sms) => sms.destination.endsWith(phone) && /验证码\s*\d/.test(sms.text)).length;
  }

  /** The newest refund code that reached `phone` through the SMPP server after `after` earlier ones. */
  async smsCode(phone: string, after: number): Promise<string> {
    for (let i = 0; i < 100; i++) {
      await this.test.services.delivery.deliverDue();
      const codes = this.smsc
        .messages()
        .filter((sms) => sms.destination.endsWith(phone))
        .map((sms) => /验证码\s*(\d{4,8})/.exec(sms.text)?.[1])
        .filter((code): code is string => Boolean(code));
      if (codes.length > after) {
        const code = codes[codes.length - 1] as string;
        this.test.secrets.add('refund code', code);
        return code;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no refund code by SMS to ${phone}`);
  }

  /** Rows in `sales` of a terminal with this amount: a lost answer must never make two. */
  async salesCount(terminalId: string, amount: number): Promise<number> {
    const rows = await this.test.db
      .selectFrom('sales')
      .select('id')
      .where('terminal_id', '=', terminalId)
      .where('amount', '=', amount)
      .execute();
    return rows.length;
  }

  async close(): Promise<void> {
    try {
      await this.test?.close();
    } finally {
      await Promise.all([this.smsc?.stop(), this.smtp?.stop()]);
    }
  }
}

/**
 * A fetch whose next `times` answers to requests matching `match` are lost on the way back: the server gets the request
 * and acts, the client sees a network failure, as when the shop's Wi-Fi drops mid-sale.
 */
export function losingFetch(match: (url: string) => boolean): { fetch: typeof fetch; lose: (times?: number) => void } {
  let toLose = 0;
  return {
    lose(times = 1) {
      toLose = times;
    },
    async fetch(input, init) {
      const answer = await globalThis.fetch(input, init);
      if (toLose > 0 && match(String(input))) {
        toLose--;
        await answer.arrayBuffer();
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      }
      return answer;
    },
  };
}

/** The refusal an SDK call ends with (fails the test when it succeeds or fails otherwise). */
export async function refusal(call: Promise<unknown>): Promise<RefundkeyError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RefundkeyError)) throw new Error(`expected a RefundkeyError, got ${String(error)}`);
  return error;
}
