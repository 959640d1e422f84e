import type { Selectable } from 'kysely';
import { z } from 'zod';
import { jsonColumn } from '../../lib/json-column.js';

export type WebhookEndpointStatus = 'active' | 'disabled';

export interface WebhookEndpointsTable {
  id: string;
  merchant_id: string;
  url: string;
  description: string | null;
  /** The signing secret, sealed with AES-GCM: it is needed in the clear to sign, so it cannot be hashed. */
  secret_sealed: string;
  /** JSON array of event names, or ["*"]. */
  events: string;
  status: WebhookEndpointStatus;
  created_at: number;
  updated_at: number;
}

/** One row per delivery attempt: the endpoint's delivery log. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  outbox_id: string;
  event_id: string;
  event: string;
  attempt: number;
  status_code: number | null;
  ok: number;
  error: string | null;
  duration_ms: number;
  at: number;
}

/** The last `sequence` given to an event about each object (a sale, refund or settlement id). */
export interface WebhookSequencesTable {
  object_id: string;
  seq: number;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

/** `events`: the event names an endpoint subscribed to, or ["*"]. */
export const EventsColumn = jsonColumn(z.array(z.string()));
