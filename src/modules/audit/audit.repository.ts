import type { Executor } from '../../db/schema.js';
import type { AuditRow } from './audit.table.js';

/** Advance the chain head and lock it until the caller's transaction ends; returns the new seq and the previous hash. */
export async function advanceHead(db: Executor): Promise<{ seq: number; prevHash: string }> {
  const head = await db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), prevHash: head.hash };
}

export async function appendEntry(db: Executor, row: AuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
  await db.updateTable('audit_head').set({ hash: row.hash }).where('id', '=', 1).execute();
}

/** The stored head: seq and hash of the last entry appended (seq 0 and a zero hash for an empty log). */
export async function readHead(db: Executor): Promise<{ seq: number; hash: string }> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

export function entryAt(db: Executor, seq: number): Promise<AuditRow | undefined> {
  return db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirst();
}

export function entriesFrom(db: Executor, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export interface AuditFilters {
  merchantId?: string;
  event?: string;
  actorId?: string;
  objectId?: string;
  from?: number;
  to?: number;
  beforeSeq?: number;
  limit: number;
}

/** Entries matching the filters, newest first. */
export function searchEntries(db: Executor, f: AuditFilters): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (f.merchantId !== undefined) query = query.where('merchant_id', '=', f.merchantId);
  if (f.event !== undefined) query = query.where('event', '=', f.event);
  if (f.actorId !== undefined) query = query.where('actor_id', '=', f.actorId);
  if (f.objectId !== undefined) query = query.where('object_id', '=', f.objectId);
  if (f.from !== undefined) query = query.where('at', '>=', f.from);
  if (f.to !== undefined) query = query.where('at', '<', f.to);
  if (f.beforeSeq !== undefined) query = query.where('seq', '<', f.beforeSeq);
  return query.orderBy('seq', 'desc').limit(f.limit).execute();
}
