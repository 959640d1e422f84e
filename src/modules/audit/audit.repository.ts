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

export function entriesFrom(db: Executor, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}
