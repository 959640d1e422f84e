import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, HOUR, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { cryptoRandom, newId, newSecret, type RandomSource } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import { NotifyErrors, type OutboxService } from '../notify/index.js';
import { WebhookTransport } from './webhook-transport.js';
import {
  deliveriesOf,
  endpointsOf,
  findEndpoint,
  insertEndpoint,
  nextSequence,
  setEndpointStatus,
} from './webhooks.repository.js';
import { EventsColumn, type WebhookEndpointRow } from './webhooks.table.js';

export const WEBHOOK_EVENTS = [
  'sale.succeeded',
  'refund.created',
  'refund.requires_authorization',
  'refund.succeeded',
  'refund.canceled',
  'refund.expired',
  'settlement.closed',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEndpoint {
  id: string;
  merchant_id: string;
  url: string;
  description: string | null;
  events: string[];
  status: 'active' | 'disabled';
  created_at: string;
}

export interface WebhookDelivery {
  id: string;
  outbox_id: string;
  event_id: string;
  event: string;
  attempt: number;
  status_code: number | null;
  ok: boolean;
  error: string | null;
  duration_ms: number;
  at: string;
}

export interface WebhooksOptions {
  env: 'development' | 'production' | 'test';
  maxAttempts: number;
  /** Stop retrying a delivery after this long. */
  giveUpMs?: number;
  random?: RandomSource;
}

/** Webhook endpoints per merchant, and events delivered to them through the outbox (signed, retried, logged). */
export class WebhooksService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
    private readonly outbox: OutboxService,
    private readonly options: WebhooksOptions,
  ) {}

  /** Register an endpoint; the signing secret is returned once and kept sealed. */
  async createEndpoint(input: {
    merchantId: string;
    url: string;
    events?: string[];
    description?: string;
  }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const url = this.checkedUrl(input.url);
    const events = input.events?.length ? input.events : ['*'];
    const unknown = events.find((e) => e !== '*' && !(WEBHOOK_EVENTS as readonly string[]).includes(e));
    if (unknown) throw AppError.from(NotifyErrors, 'WEBHOOK_EVENT_UNKNOWN', { param: 'events', event: unknown });
    const secret = newSecret('whsec', this.options.random ?? cryptoRandom);
    const now = this.clock.now();
    const row = {
      id: newId('whe', this.options.random ?? cryptoRandom),
      merchant_id: input.merchantId,
      url,
      description: input.description ?? null,
      secret_sealed: this.sealer.seal(secret),
      events: EventsColumn.write(events),
      status: 'active' as const,
      created_at: now,
      updated_at: now,
    };
    await insertEndpoint(this.db, row);
    return { endpoint: toEndpoint(row), secret };
  }

  /** The merchant's endpoints. */
  async listEndpoints(merchantId: string): Promise<WebhookEndpoint[]> {
    return (await endpointsOf(this.db, merchantId)).map(toEndpoint);
  }

  /** Stop sending to an endpoint (queued deliveries to it then fail). */
  async disableEndpoint(merchantId: string, endpointId: string): Promise<void> {
    await this.endpointOf(merchantId, endpointId);
    await setEndpointStatus(this.db, endpointId, 'disabled', this.clock.now());
  }

  /**
   * Queue `event` about the object `data` (a sale, refund or settlement) for every active endpoint of the merchant that
   * subscribed to it, inside the caller's transaction. Deliveries may arrive in any order (retries, several
   * deliverers): `sequence` counts the events about `data.id`, so a receiver keeps the highest it has seen.
   */
  async emit(
    trx: Executor,
    merchantId: string,
    event: WebhookEvent,
    data: Record<string, unknown> & { id: string },
  ): Promise<string[]> {
    return this.emitTo(trx, await endpointsOf(trx, merchantId, { activeOnly: true }), merchantId, event, data);
  }

  /** Several events in order, as `emit` queues them, with the merchant's endpoints read once for all of them. */
  async emitEach(
    trx: Executor,
    merchantId: string,
    events: Array<{ event: WebhookEvent; data: Record<string, unknown> & { id: string } }>,
  ): Promise<void> {
    const active = await endpointsOf(trx, merchantId, { activeOnly: true });
    for (const { event, data } of events) await this.emitTo(trx, active, merchantId, event, data);
  }

  private async emitTo(
    trx: Executor,
    active: Awaited<ReturnType<typeof endpointsOf>>,
    merchantId: string,
    event: WebhookEvent,
    data: Record<string, unknown> & { id: string },
  ): Promise<string[]> {
    const endpoints = active.filter((e) => subscribed(e, event));
    if (endpoints.length === 0) return [];
    const now = this.clock.now();
    const eventId = newId('evt', this.options.random ?? cryptoRandom);
    const sequence = await nextSequence(trx, data.id);
    // The body is fixed at emit time, so every retry carries the same bytes (only the signature's t changes).
    const body = JSON.stringify({
      id: eventId,
      type: event,
      created_at: toIso(now),
      livemode: this.options.env === 'production',
      sequence,
      data,
    });
    const ids: string[] = [];
    for (const endpoint of endpoints) {
      ids.push(
        await this.outbox.enqueue(trx, {
          merchantId,
          channel: 'webhook',
          recipient: endpoint.id,
          template: event,
          params: { event_id: eventId, body },
          giveUpAt: now + (this.options.giveUpMs ?? 24 * HOUR),
          maxAttempts: this.options.maxAttempts,
        }),
      );
    }
    return ids;
  }

  /** The delivery log of one endpoint, newest first. */
  async deliveries(merchantId: string, endpointId: string, limit = 100): Promise<WebhookDelivery[]> {
    await this.endpointOf(merchantId, endpointId);
    return (await deliveriesOf(this.db, endpointId, limit)).map((d) => ({
      id: d.id,
      outbox_id: d.outbox_id,
      event_id: d.event_id,
      event: d.event,
      attempt: d.attempt,
      status_code: d.status_code,
      ok: d.ok === 1,
      error: d.error,
      duration_ms: d.duration_ms,
      at: toIso(d.at),
    }));
  }

  /** The outbox transport for the 'webhook' channel. */
  transport(): WebhookTransport {
    return new WebhookTransport(this.db, this.clock, this.sealer);
  }

  private async endpointOf(merchantId: string, endpointId: string): Promise<WebhookEndpointRow> {
    const endpoint = await findEndpoint(this.db, endpointId);
    if (!endpoint || endpoint.merchant_id !== merchantId)
      throw AppError.from(NotifyErrors, 'WEBHOOK_ENDPOINT_NOT_FOUND');
    return endpoint;
  }

  private checkedUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw AppError.from(NotifyErrors, 'WEBHOOK_URL_INVALID', { param: 'url' });
    }
    const allowed = this.options.env === 'production' ? ['https:'] : ['https:', 'http:'];
    if (!allowed.includes(url.protocol) || url.username || url.password)
      throw AppError.from(NotifyErrors, 'WEBHOOK_URL_INVALID', { param: 'url' });
    return url.toString();
  }
}

function subscribed(endpoint: WebhookEndpointRow, event: string): boolean {
  const events = EventsColumn.read(endpoint.events);
  return events.includes('*') || events.includes(event);
}

function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    merchant_id: row.merchant_id,
    url: row.url,
    description: row.description,
    events: EventsColumn.read(row.events),
    status: row.status,
    created_at: toIso(row.created_at),
  };
}
