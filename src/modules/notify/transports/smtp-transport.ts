import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { NotifyConfig } from '../notify.config.js';
import { renderMessage } from '../templates.js';
import { DeliveryError, type OutgoingMessage, type SendResult, type Transport } from './transport.js';

type SmtpSettings = Pick<
  NotifyConfig,
  'smtpUrl' | 'smtpHost' | 'smtpPort' | 'smtpSecure' | 'smtpUser' | 'smtpPass' | 'smtpFrom'
> &
  Partial<Pick<NotifyConfig, 'smsSignature'>>;

/** True when an SMTP server is configured (otherwise e-mail goes to the development outbox). */
export function smtpConfigured(config: SmtpSettings): boolean {
  return Boolean(config.smtpUrl || config.smtpHost);
}

/** nodemailer pool options from SMTP_URL or SMTP_HOST/PORT/SECURE/USER/PASS. */
export function smtpOptions(config: SmtpSettings): SMTPPool.Options {
  const url = config.smtpUrl ? new URL(config.smtpUrl) : undefined;
  const implicitTls = url ? url.protocol === 'smtps:' : config.smtpSecure === 'tls';
  const host = url ? url.hostname : (config.smtpHost ?? 'localhost');
  const port = url?.port
    ? Number(url.port)
    : (config.smtpPort ?? (implicitTls || config.smtpSecure === 'tls' ? 465 : 587));
  const user = url?.username ? decodeURIComponent(url.username) : config.smtpUser;
  const pass = url?.password ? decodeURIComponent(url.password) : config.smtpPass;
  const secure = implicitTls || config.smtpSecure === 'tls' || (config.smtpSecure === 'auto' && port === 465);
  return {
    pool: true,
    maxConnections: 5,
    host,
    port,
    secure,
    requireTLS: config.smtpSecure === 'starttls',
    ignoreTLS: config.smtpSecure === 'none',
    ...(user ? { auth: { user, pass: pass ?? '' } } : {}),
    // Well below the outbox lease (120 s), so a hung server fails the attempt instead of outliving the claim.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    logger: false,
    debug: false,
  };
}

/** E-mail over SMTP (nodemailer, pooled connections); text and HTML from the templates. */
export class SmtpTransport implements Transport {
  readonly name = 'smtp';
  private readonly transporter: Transporter<SMTPPool.SentMessageInfo>;
  private readonly domain: string;

  constructor(private readonly config: SmtpSettings) {
    this.transporter = nodemailer.createTransport(smtpOptions(config));
    this.domain = /@([^>\s]+)/.exec(config.smtpFrom)?.[1] ?? 'refundkey.local';
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const signature = this.config.smsSignature;
    const rendered = renderMessage(message.template, message.locale, message.params, { signature });
    // The same Message-ID on every attempt, so a receiving system can drop an at-least-once duplicate.
    const messageId = `<${message.id}@${this.domain}>`;
    try {
      const info = await this.transporter.sendMail({
        from: this.config.smtpFrom,
        to: message.recipient,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        headers: { 'X-Refundkey-Message-Id': message.id, 'Auto-Submitted': 'auto-generated' },
        textEncoding: 'base64',
      });
      if (info.rejected.length > 0) throw new DeliveryError(`rejected by the server: ${info.response}`, true);
      return { providerRefs: [messageId] };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      const responseCode = (error as { responseCode?: unknown }).responseCode;
      // A refused mailbox is permanent; everything else (connection, auth, 4xx, busy server) is worth another try.
      const permanent = responseCode === 550 || responseCode === 551 || responseCode === 553;
      throw new DeliveryError(error instanceof Error ? error.message : String(error), permanent);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
