import { sql } from 'kysely';
import { affected, type DialectName } from '../../db/database.js';
import type { Executor } from '../../db/schema.js';
import { jsonColumn } from '../../lib/json-column.js';
import { type OutboxChannel, type OutboxRow, type OutboxStatus, PayloadColumn } from './outbox.table.js';
import type { SmsProgress } from './transports/transport.js';

/**
 * Claim up to `limit` due messages for one worker: queued rows whose time has come, and "sending" rows whose lease
 * ran out (their worker died). One statement; on PostgreSQL the candidates are locked with SKIP LOCKED, so several
 * instances take disjoint batches; SQLite has a single writer, so the conditional UPDATE is already exclusive.
 */
export async function claimDue(
  db: Executor,
  dialect: DialectName,
  { now, leaseUntil, claim, limit }: { now: number; leaseUntil: number; claim: string; limit: number },
): Promise<OutboxRow[]> {
  const candidates = db
    .selectFrom('outbox')
    .select('id')
    .where('status', 'in', ['queued', 'sending'])
    .where('next_attempt_at', '<=', now)
    .where('give_up_at', '>', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked());
  return db
    .updateTable('outbox')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: leaseUntil,
      claimed_by: claim,
      updated_at: now,
    }))
    .where('id', 'in', candidates)
    .where('status', 'in', ['queued', 'sending'])
    .where('next_attempt_at', '<=', now)
    .returningAll()
    .execute();
}

/** Messages whose time ran out before they could be sent are failed, and any secret in them erased. */
export async function failExpired(db: Executor, now: number): Promise<number> {
  const expired = await db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('status', 'in', ['queued', 'sending'])
    .where('next_attempt_at', '<=', now)
    .where('give_up_at', '<=', now)
    .limit(500)
    .execute();
  let count = 0;
  for (const row of expired) {
    const result = await db
      .updateTable('outbox')
      .set({
        status: 'failed',
        payload: withoutSecret(row.payload),
        last_error: sql<string>`coalesce(last_error, 'not sent before give-up time')`,
        claimed_by: null,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .where('status', 'in', ['queued', 'sending'])
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst();
    count += affected(result);
  }
  return count;
}

/** Record a successful send, if the claim still owns the row; false when another worker took it over. */
export async function markSent(
  db: Executor,
  row: OutboxRow,
  {
    claim,
    now,
    providerRef,
    keepSecret,
  }: { claim: string; now: number; providerRef: string | null; keepSecret: boolean },
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      payload: keepSecret ? row.payload : withoutSecret(row.payload),
      provider_ref: providerRef,
      last_error: null,
      claimed_by: null,
      sent_at: now,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .where('claimed_by', '=', claim)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return affected(result) === 1;
}

/**
 * Record a failed attempt: back to the queue at `retryAt`, or failed (secret erased) when `retryAt` is null; an SMS
 * keeps the parts the SMSC already accepted (`progress`) for the next attempt.
 */
export async function markAttemptFailed(
  db: Executor,
  row: OutboxRow,
  {
    claim,
    now,
    error,
    retryAt,
    progress,
  }: { claim: string; now: number; error: string; retryAt: number | null; progress?: SmsProgress },
): Promise<boolean> {
  const payload = progress ? withProgress(row.payload, progress) : row.payload;
  const result = await db
    .updateTable('outbox')
    .set({
      status: retryAt === null ? 'failed' : 'queued',
      next_attempt_at: retryAt ?? row.next_attempt_at,
      payload: retryAt === null ? withoutSecret(payload) : payload,
      last_error: error,
      claimed_by: null,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .where('claimed_by', '=', claim)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return affected(result) === 1;
}

/** Remember the SMSC's id of every part, so that receipts find their message. */
export async function recordProviderRefs(db: Executor, outboxId: string, refs: string[], now: number): Promise<void> {
  for (const ref of refs) {
    await db
      .insertInto('outbox_provider_refs')
      .values({ ref, outbox_id: outboxId, state: null, updated_at: now })
      .onConflict((oc) => oc.column('ref').doUpdateSet({ outbox_id: outboxId, updated_at: now }))
      .execute();
  }
}

/** Store a receipt's state (it may come before the sender recorded the part); returns the message id if known. */
export async function recordReceipt(db: Executor, ref: string, state: string, now: number): Promise<string | null> {
  await db
    .insertInto('outbox_provider_refs')
    .values({ ref, outbox_id: null, state, updated_at: now })
    .onConflict((oc) => oc.column('ref').doUpdateSet({ state, updated_at: now }))
    .execute();
  const row = await db.selectFrom('outbox_provider_refs').select('outbox_id').where('ref', '=', ref).executeTakeFirst();
  return row?.outbox_id ?? null;
}

/** A sent SMS becomes delivered when every part has a DELIVRD receipt (or failed on a final negative receipt). */
export async function settleByReceipts(db: Executor, outboxId: string, now: number): Promise<void> {
  const parts = await db.selectFrom('outbox_provider_refs').select('state').where('outbox_id', '=', outboxId).execute();
  if (parts.length === 0) return;
  const negative = parts.find((p) => p.state && ['UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED'].includes(p.state));
  if (negative?.state) {
    await db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: `delivery receipt ${negative.state}`, updated_at: now })
      .where('id', '=', outboxId)
      .where('status', '=', 'sent')
      .execute();
    return;
  }
  if (!parts.every((p) => p.state === 'DELIVRD')) return;
  await db
    .updateTable('outbox')
    .set({ status: 'delivered', delivered_at: now, updated_at: now })
    .where('id', '=', outboxId)
    .where('status', '=', 'sent')
    .execute();
}

/** Number of messages per status and the creation time of the oldest queued one. */
export async function statusCounts(
  db: Executor,
): Promise<{ counts: Partial<Record<OutboxStatus, number>>; oldestQueuedAt: number | null }> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .groupBy('status')
    .execute();
  const counts: Partial<Record<OutboxStatus, number>> = {};
  let oldestQueuedAt: number | null = null;
  for (const row of rows) {
    counts[row.status] = Number(row.n);
    if (row.status === 'queued' || row.status === 'sending') {
      const oldest = Number(row.oldest);
      oldestQueuedAt = oldestQueuedAt === null ? oldest : Math.min(oldestQueuedAt, oldest);
    }
  }
  return { counts, oldestQueuedAt };
}

/** The payload with its sealed secret removed: what stays after delivery or give-up. */
export function withoutSecret(payload: string): string {
  const { sealed, ...rest } = PayloadColumn.read(payload);
  if (!sealed) return payload;
  return PayloadColumn.write(rest);
}

/** How far an SMS got on earlier attempts (reference, accepted parts), or null before its first attempt. */
export function smsProgressOf(row: OutboxRow): SmsProgress | null {
  const { sms } = PayloadColumn.read(row.payload);
  if (!sms || typeof sms.reference !== 'number') return null;
  return { reference: sms.reference, total: sms.total ?? null, accepted: { ...sms.accepted } };
}

function withProgress(payload: string, progress: SmsProgress): string {
  return PayloadColumn.write({ ...PayloadColumn.read(payload), sms: progress });
}

/**
 * The number of SMS queued to this recipient before this one: a per-destination counter, without a counter table,
 * for the concatenation reference. It never changes for a message, so every attempt uses the same reference.
 */
export async function destinationSequence(db: Executor, row: OutboxRow): Promise<number> {
  const result = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('recipient', '=', row.recipient)
    .where('channel', '=', 'sms')
    .where((eb) =>
      eb.or([
        eb('created_at', '<', row.created_at),
        eb.and([eb('created_at', '=', row.created_at), eb('id', '<', row.id)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result?.n ?? 0);
}

/**
 * Queued messages of a channel whose peer just became reachable are due now instead of at their backoff time.
 * Returns how many were woken.
 */
export async function wakeQueued(db: Executor, channel: OutboxChannel, now: number): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({ next_attempt_at: now, updated_at: now })
    .where('channel', '=', channel)
    .where('status', '=', 'queued')
    .where('next_attempt_at', '>', now)
    .where('give_up_at', '>', now)
    .executeTakeFirst();
  return affected(result);
}

const INSTANCE_PREFIX = 'delivery_instance:';

/** What a running delivery worker says about itself, for `refundkey outbox stats` run from another process. */
export interface DeliveryInstance {
  instance: string;
  host: string;
  pid: number;
  transports: Record<OutboxChannel, string>;
  seen_at: number;
}

/** A delivery worker's announcement, kept in the settings table under its instance name. */
const InstanceColumn = jsonColumn<DeliveryInstance>();

/** Record (or refresh) a delivery worker's transports in the shared settings table. */
export async function announceInstance(db: Executor, info: DeliveryInstance): Promise<void> {
  const name = `${INSTANCE_PREFIX}${info.instance}`;
  const value = InstanceColumn.write(info);
  await db
    .insertInto('settings')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}

/** Remove a worker that stopped. */
export async function forgetInstance(db: Executor, instance: string): Promise<void> {
  await db.deleteFrom('settings').where('name', '=', `${INSTANCE_PREFIX}${instance}`).execute();
}

/** The delivery workers that announced themselves, newest first. */
export async function listInstances(db: Executor): Promise<DeliveryInstance[]> {
  const rows = await db.selectFrom('settings').select('value').where('name', 'like', `${INSTANCE_PREFIX}%`).execute();
  return rows.map((row) => InstanceColumn.read(row.value)).sort((a, b) => b.seen_at - a.seen_at);
}
