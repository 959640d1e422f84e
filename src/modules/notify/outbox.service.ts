import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, DAY } from '../../lib/clock.js';
import { newId } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import type { OutboxChannel, OutboxRow } from './outbox.table.js';

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
  /** Stop trying after this time (a code gives up at its own expiry); default 24 h. */
  giveUpAt?: number;
}

/** The transactional outbox: a message exists if and only if the transaction that needed it committed. */
export class OutboxService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
  ) {}

  /** Queue a message inside the caller's transaction; returns its stable id. */
  async enqueue(trx: Executor, message: OutboundMessage): Promise<string> {
    const now = this.clock.now();
    const id = newId('msg');
    const payload = {
      params: message.params,
      ...(message.secretParams ? { sealed: this.sealer.seal(JSON.stringify(message.secretParams)) } : {}),
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
        payload: JSON.stringify(payload),
        status: 'queued',
        attempts: 0,
        last_error: null,
        next_attempt_at: now,
        give_up_at: message.giveUpAt ?? now + DAY,
        provider_ref: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  /** The template parameters of a message, secrets opened (for rendering at delivery time, or the dev outbox). */
  parameters(row: OutboxRow): Record<string, unknown> {
    const payload = JSON.parse(row.payload) as { params: Record<string, unknown>; sealed?: string };
    const secrets = payload.sealed ? (JSON.parse(this.sealer.open(payload.sealed)) as Record<string, string>) : {};
    return { ...payload.params, ...secrets };
  }

  /** Messages to one recipient, newest first (the development outbox). */
  listFor(recipient: string | undefined, limit = 50): Promise<OutboxRow[]> {
    let query = this.db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (recipient) query = query.where('recipient', '=', recipient);
    return query.execute();
  }
}
