import type pino from 'pino';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { type DeliveryOptions, DeliveryService } from './delivery.service.js';
import type { OutboxService } from './outbox.service.js';
import { DevTransport } from './transports/dev-transport.js';
import { SmppTransport, smppConfigured } from './transports/smpp-transport.js';
import { SmtpTransport, smtpConfigured } from './transports/smtp-transport.js';
import type { Transport } from './transports/transport.js';

/** The delivery worker with a transport per channel: SMTP and SMPP when configured, else the development outbox. */
export function createDelivery(
  deps: {
    config: Config;
    database: Database;
    clock: Clock;
    log: pino.Logger;
    outbox: OutboxService;
    /** The webhooks module, which sits above this one, lends its transport. */
    webhooks: { transport(): Transport };
  },
  options: DeliveryOptions = {},
): DeliveryService {
  const { config, database, clock, log, outbox, webhooks } = deps;
  const notify = config.notify;
  const signature = notify.smsSignature;
  const email = smtpConfigured(notify)
    ? new SmtpTransport(notify)
    : new DevTransport('email', config.env, log, signature);
  const sms = smppConfigured(notify)
    ? new SmppTransport(notify, log)
    : new DevTransport('sms', config.env, log, signature);
  if (config.env === 'production' && (!smtpConfigured(notify) || !smppConfigured(notify))) {
    // Without a transport the message is only recorded: a merchant waiting for a refund code would never get it.
    log.warn(
      { email: email.name, sms: sms.name },
      'no SMTP server or SMSC configured: those messages are kept, not delivered',
    );
  }
  return new DeliveryService(
    database.db,
    database.dialect,
    clock,
    outbox,
    { email, sms, webhook: webhooks.transport() },
    log,
    { leaseMs: notify.leaseSeconds * 1000, signature, ...options },
  );
}
