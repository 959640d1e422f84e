import type { DialectName } from '../../../src/db/database.js';
import { person } from '../../mfa/mfa-helpers.js';
import { FakeSmsc } from '../../notify/support/smsc.js';
import { SmtpSink } from '../../notify/support/smtp-sink.js';
import { StaffClient } from '../../support/staff-client.js';
import { type SeededMerchant, TestApp } from '../../support/test-app.js';

/** A test app that sends its messages over real SMTP and SMPP on loopback, with a seeded merchant and 3 agents. */
export class HelpdeskWorld {
  private constructor(
    readonly t: TestApp,
    readonly smtp: SmtpSink,
    readonly smsc: FakeSmsc,
    readonly m: SeededMerchant,
    readonly agents: [StaffClient, StaffClient, StaffClient],
  ) {}

  static async start(dialect: DialectName): Promise<HelpdeskWorld> {
    const smtp = new SmtpSink();
    await smtp.start();
    const smsc = new FakeSmsc();
    await smsc.start();
    const t = await TestApp.start(dialect, {
      env: { SMTP_URL: smtp.url, SMTP_SECURE: 'none', SMPP_URL: smsc.url },
    });
    const m = await t.seedMerchant();
    const agents: StaffClient[] = [];
    for (let i = 0; i < 3; i++) {
      const who = await person(t, null, 'support_agent');
      agents.push(await StaffClient.signIn(t, who.login, who.password));
    }
    return new HelpdeskWorld(t, smtp, smsc, m, agents as [StaffClient, StaffClient, StaffClient]);
  }

  async close(): Promise<void> {
    await this.t.close();
    await this.smtp.stop();
    await this.smsc.stop();
  }

  /** Run delivery passes until nothing is left to send. */
  async deliver(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const report = await this.t.services.delivery.deliverDue();
      if (report.claimed === 0) return;
    }
  }

  /** Texts received over SMPP by `phone`, oldest first. */
  smsTo(phone: string): string[] {
    return this.smsc
      .messages()
      .filter((s) => s.destination === phone)
      .map((s) => s.text);
  }

  /** Plain texts received over SMTP by `address`, oldest first. */
  mailsTo(address: string): string[] {
    return this.smtp.mails.filter((mail) => mail.to.includes(address)).map((mail) => `${mail.subject}\n${mail.text}`);
  }

  /** A case opened by agent 0, checked, approved by agent 1; answers its id. */
  async approvedCase(kind: string, merchantId = this.m.demo.merchant_id): Promise<string> {
    const [a, b] = this.agents;
    const opened = await a.post('/v1/support/cases', { merchant_id: merchantId, kind });
    if (opened.status !== 201) throw new Error(`open failed: ${JSON.stringify(opened.body)}`);
    const url = `/v1/support/cases/${opened.body.id}`;
    await a.post(`${url}/checks`, {
      kind: 'id_document',
      document_type: 'resident_id',
      last4: '1234',
      outcome: 'passed',
    });
    await a.post(`${url}/checks`, { kind: 'callback', outcome: 'reached' });
    const approved = await b.post(`${url}/approve`, {});
    if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.body)}`);
    return opened.body.id as string;
  }
}

/** The reset code in a delivered support_reset_link text. */
export function resetCodeIn(text: string): string {
  const match = /rst-[A-Za-z0-9_-]{20,}/.exec(text);
  if (!match) throw new Error(`no reset code in: ${text}`);
  return match[0];
}
