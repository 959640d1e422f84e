import type pino from 'pino';
import { renderMessage } from '../templates.js';
import type { OutgoingMessage, SendResult, Transport } from './transport.js';

/**
 * Where messages go when no SMTP server or SMSC is configured: they stay in the database (GET /dev/outbox) and are
 * logged. Only in `development` does the log line carry the text (and so a code); in `test` and `production` it
 * carries the id, template and a masked recipient, never the text.
 */
export class DevTransport implements Transport {
  readonly name: string;

  constructor(
    channel: 'email' | 'sms',
    private readonly env: 'development' | 'production' | 'test',
    private readonly log: pino.Logger,
    private readonly signature?: string,
  ) {
    this.name = `dev-${channel}`;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const base = {
      msg_id: message.id,
      channel: message.channel,
      to: maskRecipient(message.recipient),
      template: message.template,
    };
    if (this.env === 'development') {
      const rendered = renderMessage(message.template, message.locale, message.params, {
        signature: this.signature,
      });
      this.log.info(
        { ...base, text: message.channel === 'sms' ? rendered.sms : `${rendered.subject}\n${rendered.text}` },
        'dev outbox message',
      );
    } else {
      this.log.info(base, 'dev outbox message (text not logged)');
    }
    // In production nothing reads the dev outbox, so the secret is erased as after any delivery.
    return { providerRefs: [`dev:${message.id}`], keepSecret: this.env !== 'production' };
  }

  async close(): Promise<void> {}
}

/** 138****1234 and o***@example.com, as docs/api.md shows recipients. */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient.slice(0, 1)}***${recipient.slice(at)}`;
  const digits = recipient.replace(/\D/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}
