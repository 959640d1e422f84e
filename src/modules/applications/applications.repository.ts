import type { Executor } from '../../db/schema.js';
import type { ApplicationRow, ApplicationStatus, ApplicationsTable } from './applications.table.js';

export async function insertApplication(db: Executor, row: ApplicationRow): Promise<void> {
  await db.insertInto('applications').values(row).execute();
}

export function findById(db: Executor, id: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByStatusToken(db: Executor, tokenHash: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('status_token_hash', '=', tokenHash).executeTakeFirst();
}

/** Newest first, at most 100; one status or all. */
export function list(db: Executor, status: ApplicationStatus | undefined): Promise<ApplicationRow[]> {
  let query = db.selectFrom('applications').selectAll();
  if (status) query = query.where('status', '=', status);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute();
}

/** Move an application from one of `from` to a new state, atomically; false when it was not in one of them. */
export async function transition(
  db: Executor,
  id: string,
  from: ApplicationStatus[],
  set: Partial<Omit<ApplicationsTable, 'id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('applications')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Use a phone proof for one application: true once per proof, for that phone, within its lifetime. */
export async function consumePhoneProof(db: Executor, phone: string, proofHash: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('application_phone_codes')
    .set({ used_at: now })
    .where('proof_hash', '=', proofHash)
    .where('phone', '=', phone)
    .where('used_at', 'is', null)
    .where('proof_expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
