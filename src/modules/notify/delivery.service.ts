import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type pino from 'pino';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/random.js';
import type { MessageRenderer } from './message-renderer.js';
import {
  announceInstance,
  claimDue,
  destinationSequence,
  failExpired,
  forgetInstance,
  markAttemptFailed,
  markSent,
  recordProviderRefs,
  recordReceipt,
  settleByReceipts,
  smsProgressOf,
  wakeQueued,
} from './outbox.repository.js';
import type { OutboxChannel, OutboxRow } from './outbox.table.js';
import { DeliveryError, describeError, type SmsProgress, type Transport } from './transports/transport.js';

const ANNOUNCE_EVERY_MS = 60_000;

export interface DeliveryOptions {
  /**
   * How long a claimed message belongs to its worker; after that another worker may retry it. It must outlast a whole
   * batch (batchSize / concurrency rounds of the slowest transport timeout: SMTP 20 s, SMPP 15 s a part, webhook 10 s),
   * or a slow peer would let a second worker send the same message.
   */
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** What one pass of the worker did. */
export interface DeliveryReport {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/**
 * The delivery worker: claims due outbox messages, hands each to its channel's transport, and records the outcome
 * (sent, or queued again with exponential backoff, or failed at the give-up time or attempt limit). Delivery is at
 * least once: a worker that dies between sending and recording leaves a "sending" row that is retried after its
 * lease, with the same message id.
 */
export class DeliveryService {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly instance = newId('dlv');
  private announcedAt = 0;
  /** Binds (transport ready events) per channel so far, to notice one that came while an attempt was failing. */
  private readonly readyCount = new Map<OutboxChannel, number>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
    private readonly clock: Clock,
    private readonly messages: MessageRenderer,
    private readonly transports: Record<OutboxChannel, Transport>,
    private readonly log: pino.Logger,
    {
      leaseMs = 120_000,
      batchSize = 10,
      concurrency = 5,
      backoffBaseMs = 5_000,
      backoffMaxMs = 10 * 60_000,
    }: DeliveryOptions = {},
  ) {
    this.leaseMs = leaseMs;
    this.batchSize = batchSize;
    this.concurrency = concurrency;
    this.backoffBaseMs = backoffBaseMs;
    this.backoffMaxMs = backoffMaxMs;
    for (const transport of new Set(Object.values(transports)))
      transport.onReceipt?.((ref, state) => this.receipt(ref, state));
    for (const [channel, transport] of Object.entries(transports) as Array<[OutboxChannel, Transport]>)
      transport.onReady?.(() => {
        this.readyCount.set(channel, (this.readyCount.get(channel) ?? 0) + 1);
        void this.wake(channel);
      });
  }

  /**
   * The channel's peer is reachable again (an SMSC bind): its queued messages are due now, not at their backoff time,
   * so a code whose SMSC was down for most of its lifetime still arrives before it expires.
   */
  async wake(channel: OutboxChannel): Promise<number> {
    try {
      const woken = await wakeQueued(this.db, channel, this.clock.now());
      if (woken > 0) this.log.info({ channel, woken }, 'transport ready: queued messages are due now');
      return woken;
    } catch (error) {
      this.log.warn({ channel, error: describeError(error) }, 'queued messages not woken; they wait for their backoff');
      return 0;
    }
  }

  /** Names of the transport per channel (smtp, smpp, webhook, dev-email, dev-sms). */
  transportNames(): Record<OutboxChannel, string> {
    return { email: this.transports.email.name, sms: this.transports.sms.name, webhook: this.transports.webhook.name };
  }

  /** One pass: fail what ran out of time, claim a batch of due messages and deliver them. */
  async deliverDue({ limit = this.batchSize }: { limit?: number } = {}): Promise<DeliveryReport> {
    for (const transport of new Set(Object.values(this.transports))) transport.warm?.();
    const now = this.clock.now();
    await this.announce(now);
    const expired = await failExpired(this.db, now);
    const claim = newId('clm');
    const rows = await claimDue(this.db, this.dialect, { now, leaseUntil: now + this.leaseMs, claim, limit });
    const report: DeliveryReport = { claimed: rows.length, sent: 0, retried: 0, failed: expired };
    let next = 0;
    const lane = async () => {
      while (next < rows.length) {
        const row = rows[next++];
        if (row) report[await this.deliverOne(row, claim)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, rows.length) }, lane));
    return report;
  }

  /** Record an SMSC delivery receipt (by the SMSC's message_id) and settle the message when all parts are in. */
  async receipt(ref: string, state: string): Promise<void> {
    const now = this.clock.now();
    const outboxId = await recordReceipt(this.db, ref, state, now);
    if (outboxId) await settleByReceipts(this.db, outboxId, now);
  }

  /** Close every transport (SMTP pool, SMPP session) and stop describing this worker to `outbox stats`. */
  async close(): Promise<void> {
    for (const transport of new Set(Object.values(this.transports))) await transport.close();
    if (this.announcedAt > 0) await forgetInstance(this.db, this.instance).catch(() => undefined);
  }

  /** Tell the shared database which transports this worker uses (refundkey outbox stats), once a minute. */
  private async announce(now: number): Promise<void> {
    if (this.announcedAt > 0 && now - this.announcedAt < ANNOUNCE_EVERY_MS && now >= this.announcedAt) return;
    const info = { instance: this.instance, host: hostname(), pid: process.pid, seen_at: now };
    await announceInstance(this.db, { ...info, transports: this.transportNames() });
    this.announcedAt = now;
  }

  private async deliverOne(row: OutboxRow, claim: string): Promise<'sent' | 'retried' | 'failed'> {
    const transport = this.transports[row.channel];
    const base = {
      msg_id: row.id,
      channel: row.channel,
      template: row.template,
      attempt: row.attempts,
      transport: transport.name,
    };
    let sms: SmsProgress | undefined;
    const readyBefore = this.readyCount.get(row.channel) ?? 0;
    try {
      const params = await this.messages.parameters(row);
      sms = row.channel === 'sms' ? await this.smsProgress(row) : undefined;
      const result = await transport.send({
        id: row.id,
        channel: row.channel,
        recipient: row.recipient,
        template: row.template,
        locale: row.locale,
        params,
        attempt: row.attempts,
        ...(sms ? { sms } : {}),
      });
      const now = this.clock.now();
      const owned = await markSent(this.db, row, {
        claim,
        now,
        providerRef: result.providerRefs[0] ?? null,
        keepSecret: result.keepSecret ?? false,
      });
      if (!owned) this.log.warn(base, 'message sent after its lease ran out; another worker may send it again');
      if (row.channel === 'sms' && result.providerRefs.length > 0) {
        await recordProviderRefs(this.db, row.id, result.providerRefs, now);
        await settleByReceipts(this.db, row.id, now);
      }
      this.log.info({ ...base, parts: result.providerRefs.length }, 'message sent');
      return 'sent';
    } catch (error) {
      const now = this.clock.now();
      const reason = describeError(error);
      const permanent = error instanceof DeliveryError ? error.permanent : !(error instanceof Error && 'code' in error);
      const retryAt = permanent ? null : this.retryAt(row, now);
      const progress = error instanceof DeliveryError && error.progress ? error.progress : sms;
      await markAttemptFailed(this.db, row, { claim, now, error: reason, retryAt, progress });
      // A bind during this attempt woke the queue while this row was still "sending": wake it now that it waits.
      if (retryAt !== null && (this.readyCount.get(row.channel) ?? 0) !== readyBefore) await this.wake(row.channel);
      const accepted = Object.values(progress?.accepted ?? {});
      // Receipts of the parts already accepted find their message even before the last part goes through.
      if (accepted.length > 0) await recordProviderRefs(this.db, row.id, accepted, now);
      this.log.warn(
        {
          ...base,
          error: reason,
          ...(progress ? { parts_accepted: accepted.length, parts: progress.total } : {}),
          retry_at: retryAt === null ? null : new Date(retryAt).toISOString(),
        },
        'message not sent',
      );
      return retryAt === null ? 'failed' : 'retried';
    }
  }

  /**
   * Exponential backoff from the number of attempts so far; null when the attempts are used up. A try that would come
   * after the give-up time waits at the give-up time instead, still queued: a transport that becomes ready again
   * (an SMSC bind) wakes it, and otherwise it fails there (failExpired).
   */
  private retryAt(row: OutboxRow, now: number): number | null {
    if (row.max_attempts !== null && row.attempts >= row.max_attempts) return null;
    const delay = Math.min(this.backoffBaseMs * 2 ** Math.max(0, row.attempts - 1), this.backoffMaxMs);
    return Math.min(now + delay, row.give_up_at);
  }

  /** The SMS's progress from earlier attempts, or a fresh one with this recipient's next concatenation reference. */
  private async smsProgress(row: OutboxRow): Promise<SmsProgress> {
    const earlier = smsProgressOf(row);
    if (earlier) return earlier;
    return { reference: (await destinationSequence(this.db, row)) % 256, total: null, accepted: {} };
  }
}
