import type { Selectable } from 'kysely';
import { jsonColumn } from '../../lib/json-column.js';
import type { SmsProgress } from './transports/transport.js';

export type OutboxChannel = 'sms' | 'email' | 'webhook';
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

export interface OutboxTable {
  id: string;
  merchant_id: string | null;
  channel: OutboxChannel;
  /** Phone number, e-mail address or webhook endpoint id. */
  recipient: string;
  template: string;
  locale: string;
  /** JSON template parameters. A one-time code travels here until delivery (see SECURITY notes in README). */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number;
  give_up_at: number;
  provider_ref: string | null;
  created_at: number;
  updated_at: number;
  /** The claim that owns a `sending` row; its lease ends at next_attempt_at. */
  claimed_by: string | null;
  /** Give up after this many attempts (webhooks); null: only give_up_at applies. */
  max_attempts: number | null;
  sent_at: number | null;
  delivered_at: number | null;
}

/** One SMS part accepted by the SMSC, matched to its delivery receipt by the SMSC's message_id. */
export interface OutboxProviderRefsTable {
  ref: string;
  outbox_id: string | null;
  /** Receipt state (DELIVRD, UNDELIV, ...), null until a receipt arrives. */
  state: string | null;
  updated_at: number;
}

export type OutboxRow = Selectable<OutboxTable>;

/** `payload`: the template parameters, the sealed secret ones until delivery, and how far an SMS got. */
export interface OutboxPayload {
  params: Record<string, unknown>;
  /** The secret parameters (a one-time code), sealed with AES-GCM; erased once the message is sent or given up. */
  sealed?: string;
  sms?: Partial<SmsProgress>;
}
export const PayloadColumn = jsonColumn<OutboxPayload>();

/** The sealed secret parameters, once opened. */
export const SecretParamsColumn = jsonColumn<Record<string, string>>();
