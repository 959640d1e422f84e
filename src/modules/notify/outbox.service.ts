import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, DAY } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import { NotifyErrors } from './notify.errors.js';
import { type DeliveryInstance, listInstances, statusCounts } from './outbox.repository.js';
import {
  type OutboxChannel,
  type OutboxRow,
  type OutboxStatus,
  PayloadColumn,
  SecretParamsColumn,
} from './outbox.table.js';
import { SECRET_TEMPLATES } from './templates.js';

/** A message to deliver, written in the same transaction as the event that needs it. */
export interface OutboundMessage {
  merchantId?: string | null;
  channel: OutboxChannel;
  recipient: string;
  template: string;
  locale?: string;
  /** Template parameters that are not secret. */
  params: Record<string, unknown>;
  /** Secret template parameters (a one-time code): sealed at rest, erased after delivery. */
  secretParams?: Record<string, string>;
  /** Stop trying after this time (a code gives up at its own expiry); default MESSAGE_GIVE_UP_HOURS (24 h). */
  giveUpAt?: number;
  /** Stop after this many attempts (webhooks); default: only giveUpAt applies. */
  maxAttempts?: number;
}

/** Counts per status and the age of the oldest message still waiting (operations). */
export interface OutboxStats {
  counts: Record<OutboxStatus, number>;
  oldest_queued_age_s: number | null;
}

/** A delivery worker seen recently, as `refundkey outbox stats` describes it. */
export interface DeliveryServer {
  instance: string;
  host: string;
  pid: number;
  transports: DeliveryInstance['transports'];
  seen_s_ago: number;
}

/** A worker not seen for this long has stopped without saying so (kill -9, power loss). */
const SERVER_SEEN_WITHIN_MS = 10 * 60_000;

/** The transactional outbox: a message exists if and only if the transaction that needed it committed. */
export class OutboxService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
    private readonly giveUpMs: number = DAY,
  ) {}

  /** Queue a message inside the caller's transaction; returns its stable id. */
  async enqueue(trx: Executor, message: OutboundMessage): Promise<string> {
    const now = this.clock.now();
    const id = newId('msg');
    const payload = {
      params: message.params,
      ...(message.secretParams ? { sealed: this.sealer.seal(SecretParamsColumn.write(message.secretParams)) } : {}),
    };
    await trx
      .insertInto('outbox')
      .values({
        id,
        merchant_id: message.merchantId ?? null,
        channel: message.channel,
        recipient: message.recipient,
        template: message.template,
        locale: message.locale ?? 'zh-CN',
        payload: PayloadColumn.write(payload),
        status: 'queued',
        attempts: 0,
        last_error: null,
        next_attempt_at: now,
        give_up_at: message.giveUpAt ?? now + this.giveUpMs,
        provider_ref: null,
        created_at: now,
        updated_at: now,
        claimed_by: null,
        max_attempts: message.maxAttempts ?? null,
        sent_at: null,
        delivered_at: null,
      })
      .execute();
    return id;
  }

  /** One message by id. */
  find(id: string): Promise<OutboxRow | undefined> {
    return this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Counts per status and the oldest queued age, for `refundkey outbox stats` and monitoring. */
  async stats(): Promise<OutboxStats> {
    const { counts, oldestQueuedAt } = await statusCounts(this.db);
    return {
      counts: { queued: 0, sending: 0, sent: 0, delivered: 0, failed: 0, ...counts },
      oldest_queued_age_s:
        oldestQueuedAt === null ? null : Math.max(0, Math.round((this.clock.now() - oldestQueuedAt) / 1000)),
    };
  }

  /**
   * The delivery workers (servers) that announced their transports within the last 10 minutes, newest first: what
   * actually carries messages, whatever the environment of the process asking (`refundkey outbox stats`).
   */
  async servers(): Promise<DeliveryServer[]> {
    const now = this.clock.now();
    return (await listInstances(this.db))
      .filter((i) => Math.abs(now - i.seen_at) <= SERVER_SEEN_WITHIN_MS)
      .map((i) => ({
        instance: i.instance,
        host: i.host,
        pid: i.pid,
        transports: i.transports,
        seen_s_ago: Math.max(0, Math.round((now - i.seen_at) / 1000)),
      }));
  }

  /** Queue a failed (or waiting) message again now, with a fresh give-up time; a code whose secret was erased cannot be. */
  async retry(id: string): Promise<OutboxRow> {
    const row = await this.find(id);
    if (!row) throw AppError.from(NotifyErrors, 'MESSAGE_NOT_FOUND');
    if (row.status !== 'failed' && row.status !== 'queued')
      throw AppError.from(NotifyErrors, 'MESSAGE_NOT_RETRYABLE', { status: row.status });
    const payload = PayloadColumn.read(row.payload);
    if (SECRET_TEMPLATES.has(row.template) && !payload.sealed)
      throw AppError.from(NotifyErrors, 'MESSAGE_SECRET_ERASED');
    const now = this.clock.now();
    await this.db
      .updateTable('outbox')
      .set({
        status: 'queued',
        next_attempt_at: now,
        give_up_at: Math.max(row.give_up_at, now + this.giveUpMs),
        claimed_by: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', row.status)
      .execute();
    return (await this.find(id)) ?? row;
  }

  /** The template parameters of a message, secrets opened (for rendering at delivery time, or the dev outbox). */
  parameters(row: OutboxRow): Record<string, unknown> {
    const payload = PayloadColumn.read(row.payload);
    const secrets = payload.sealed ? SecretParamsColumn.read(this.sealer.open(payload.sealed)) : {};
    return { ...payload.params, ...secrets };
  }

  /** Messages to one recipient, newest first (the development outbox). */
  listFor(recipient: string | undefined, limit = 50): Promise<OutboxRow[]> {
    let query = this.db
      .selectFrom('outbox')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (recipient) query = query.where('recipient', '=', recipient);
    return query.execute();
  }
}
