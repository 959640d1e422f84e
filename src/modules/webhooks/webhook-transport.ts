import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import {
  DeliveryError,
  describeError,
  type OutgoingMessage,
  type SendResult,
  type Transport,
} from '../notify/index.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';
import { findEndpoint, insertDelivery } from './webhooks.repository.js';

const TIMEOUT_MS = 10_000;

/** POSTs a webhook event to its endpoint, signed; any answer but 2xx is a failed attempt; every attempt is logged. */
export class WebhookTransport implements Transport {
  readonly name = 'webhook';

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const endpoint = await findEndpoint(this.db, message.recipient);
    if (endpoint?.status !== 'active') throw new DeliveryError('webhook endpoint missing or disabled', true);
    const body = String(message.params.body ?? '');
    const eventId = String(message.params.event_id ?? '');
    const started = Date.now();
    const t = Math.floor(this.clock.now() / 1000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'refundkey-webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(this.sealer.open(endpoint.secret_sealed), t, body),
          'Refundkey-Event-Id': eventId,
          'Refundkey-Delivery-Id': message.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      statusCode = response.status;
      await response.body?.cancel();
      if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
    } catch (caught) {
      error = describeError(caught);
    }
    await insertDelivery(this.db, {
      id: newId('whd'),
      endpoint_id: endpoint.id,
      outbox_id: message.id,
      event_id: eventId,
      event: message.template,
      attempt: message.attempt,
      status_code: statusCode,
      ok: error === null ? 1 : 0,
      error,
      duration_ms: Date.now() - started,
      at: this.clock.now(),
    });
    if (error !== null) throw new DeliveryError(error);
    return { providerRefs: [`HTTP ${statusCode}`] };
  }

  async close(): Promise<void> {}
}
