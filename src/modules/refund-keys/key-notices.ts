import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { AuditService } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffUser } from '../staff/index.js';
import * as repo from './refund-keys.repository.js';

/** The audit object of a key scope. */
export function keyObject(merchantId: string, storeId: string | null): { type: string; id: string } {
  return storeId === null ? { type: 'merchant_refund_key', id: merchantId } : { type: 'store_refund_key', id: storeId };
}

/** Queue a message to every owner on every channel they have (SMS and e-mail), inside the caller's transaction. */
export async function notifyOwners(
  outbox: OutboxService,
  trx: Executor,
  owners: StaffUser[],
  message: { merchantId: string; template: string; params: Record<string, unknown> },
): Promise<void> {
  for (const owner of owners) {
    const contacts: Array<['sms' | 'email', string | null]> = [
      ['sms', owner.phone],
      ['email', owner.email],
    ];
    for (const [channel, recipient] of contacts) {
      if (recipient) await outbox.enqueue(trx, { ...message, channel, recipient, locale: owner.locale });
    }
  }
}

/**
 * Remind the owners of every active key set at or before `setBefore` (7 days before its 90-day age), once per key:
 * the claim and the messages commit together, so several instances never remind twice.
 */
export async function remindKeyAge(
  deps: {
    db: Kysely<DB>;
    outbox: OutboxService;
    audit: AuditService;
    ownersOf: (merchantId: string) => Promise<StaffUser[]>;
  },
  { now, setBefore, maxAge, limit }: { now: number; setBefore: number; maxAge: number; limit: number },
): Promise<number> {
  let sent = 0;
  for (const row of await repo.dueForReminder(deps.db, setBefore, limit)) {
    const owners = await deps.ownersOf(row.merchant_id);
    await deps.db.transaction().execute(async (trx) => {
      if (!(await repo.markReminded(trx, row.id, now))) return;
      const expiresAt = row.set_at + maxAge;
      await notifyOwners(deps.outbox, trx, owners, {
        merchantId: row.merchant_id,
        template: 'key_age_reminder',
        params: { expires_at: expiresAt, store_id: row.store_id },
      });
      await deps.audit.record(trx, {
        merchantId: row.merchant_id,
        actor: { type: 'system' },
        event: 'refund_key.reminder',
        outcome: 'info',
        object: keyObject(row.merchant_id, row.store_id),
        detail: { expires_at: expiresAt },
      });
      sent++;
    });
  }
  return sent;
}
