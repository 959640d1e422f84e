import { sql } from 'kysely';
import { precompiled } from '../../db/precompiled.js';
import type { Executor } from '../../db/schema.js';
import type {
  WebhookDeliveriesTable,
  WebhookDeliveryRow,
  WebhookEndpointRow,
  WebhookEndpointsTable,
} from './webhooks.table.js';

export function insertEndpoint(db: Executor, row: WebhookEndpointsTable): Promise<unknown> {
  return db.insertInto('webhook_endpoints').values(row).execute();
}

export function findEndpoint(db: Executor, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

// A merchant's endpoints (all, or the active ones read for every event its activity emits, each card sale): built
// once, not per request.
const endpointsQuery = (activeOnly: boolean) =>
  precompiled<{ merchantId: string }, WebhookEndpointRow>(['merchantId'], (db, args) =>
    db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('merchant_id', '=', args.merchantId)
      .$if(activeOnly, (q) => q.where('status', '=', 'active'))
      .orderBy('created_at')
      .orderBy('id'),
  );
/**
 * True while the merchant has no active endpoint, as a condition inside another statement: a write that emits no event
 * may go without reading the endpoints only under it.
 */
export function noActiveEndpoints(merchantId: string) {
  return sql<boolean>`not exists (select 1 from webhook_endpoints where merchant_id = ${merchantId} and status = 'active')`;
}

const allEndpoints = endpointsQuery(false);
const activeEndpoints = endpointsQuery(true);

export async function endpointsOf(
  db: Executor,
  merchantId: string,
  { activeOnly = false } = {},
): Promise<WebhookEndpointRow[]> {
  return (await (activeOnly ? activeEndpoints : allEndpoints)(db, { merchantId })).rows;
}

export function setEndpointStatus(
  db: Executor,
  id: string,
  status: WebhookEndpointsTable['status'],
  now: number,
): Promise<unknown> {
  return db.updateTable('webhook_endpoints').set({ status, updated_at: now }).where('id', '=', id).execute();
}

export function insertDelivery(db: Executor, row: WebhookDeliveriesTable): Promise<unknown> {
  return db.insertInto('webhook_deliveries').values(row).execute();
}

export function deliveriesOf(db: Executor, endpointId: string, limit: number): Promise<WebhookDeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('at', 'desc')
    .orderBy('attempt', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The next event sequence of one object, in the emitting transaction: the upsert holds the object's row until commit,
 * so two transactions about the same object get their numbers in commit order.
 */
export async function nextSequence(db: Executor, objectId: string): Promise<number> {
  const row = await db
    .insertInto('webhook_sequences')
    .values({ object_id: objectId, seq: 1 })
    .onConflict((oc) => oc.column('object_id').doUpdateSet({ seq: sql<number>`webhook_sequences.seq + 1` }))
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}
