// What the parts of the refund key (key changes, the service's own reads) stand on: RefundKeysService builds it once
// and hands it to them. Checking a key needs only the database and the clock; managing keys needs the collaborators.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { AttemptLimiter } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';

/** Collaborators for key management; reading (`status`, `verify`) needs none of them. */
export interface RefundKeysDeps {
  staff: StaffService;
  merchants: MerchantsService;
  audit: AuditService;
  outbox: OutboxService;
  attempts: AttemptLimiter;
}

/** The database and clock of the refund keys, and the management collaborators when the service was given them. */
export interface RefundKeysContext {
  db: Kysely<DB>;
  clock: Clock;
  deps: RefundKeysDeps | undefined;
}

/** The management collaborators; a service built without them cannot manage keys. */
export function need(ctx: RefundKeysContext): RefundKeysDeps {
  if (!ctx.deps) throw new Error('RefundKeysService was built without its management dependencies');
  return ctx.deps;
}

/** The owners of a merchant: they are told of every key change and reminded of a key's age. */
export async function ownersOf(ctx: RefundKeysContext, merchantId: string): Promise<StaffUser[]> {
  return (await need(ctx).staff.usersOfMerchant(merchantId)).filter((u) => u.role === 'owner');
}
