import type pino from 'pino';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { type DeliveryOptions, DeliveryService } from './delivery.service.js';
import type { MessageRenderer } from './message-renderer.js';
import { DevTransport } from './transports/dev-transport.js';
import { SmppTransport, smppConfigured } from './transports/smpp-transport.js';
import { SmtpTransport, smtpConfigured } from './transports/smtp-transport.js';
import type { Transport } from './transports/transport.js';
import { UnconfiguredTransport } from './transports/unconfigured-transport.js';

/** The delivery worker with a transport per channel: SMTP and SMPP when configured, else the development outbox. */
export function createDelivery(
  deps: {
    config: Config;
    database: Database;
    clock: Clock;
    log: pino.Logger;
    /** Texts with names and signature, shared with the development outbox. */
    messages: MessageRenderer;
    /** The webhooks module, which sits above this one, lends its transport. */
    webhooks: { transport(): Transport };
  },
  options: DeliveryOptions = {},
): DeliveryService {
  const { config, database, clock, log, messages, webhooks } = deps;
  const notify = config.notify;
  const signature = notify.smsSignature;
  // Outside development and tests a channel without a real peer sends nothing and is named loudly at start
  // (docs/security.md: nothing is marked sent that no peer accepted).
  const real = config.env === 'production';
  const email = smtpConfigured(notify)
    ? new SmtpTransport(notify)
    : real
      ? new UnconfiguredTransport('email', 'SMTP_URL')
      : new DevTransport('email', config.env, log, signature);
  const sms = smppConfigured(notify)
    ? new SmppTransport(notify, log)
    : real
      ? new UnconfiguredTransport('sms', 'SMPP_URL')
      : new DevTransport('sms', config.env, log, signature);
  for (const transport of [email, sms]) {
    if (transport instanceof UnconfiguredTransport)
      log.error(
        { transport: transport.name },
        `${transport.name === 'none-email' ? 'e-mail is OFF: no SMTP_URL' : 'SMS is OFF: no SMPP_URL'} — refund codes, alerts and invitations on this channel wait in the outbox and are not sent`,
      );
  }
  return new DeliveryService(
    database.db,
    database.dialect,
    clock,
    messages,
    { email, sms, webhook: webhooks.transport() },
    log,
    { leaseMs: notify.leaseSeconds * 1000, ...options },
  );
}
