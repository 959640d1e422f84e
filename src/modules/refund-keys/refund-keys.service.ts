import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Clock, DAY } from '../../lib/clock.js';
import { verifySecret } from '../../lib/hashing.js';

export type RefundKeyPolicy = 'password' | 'pin';

/** What the refund authorization needs to know about the key that guards a store's refunds. */
export interface RefundKeyStatus {
  set: boolean;
  policy: RefundKeyPolicy;
  /** Older than 90 days: it then works only together with a one-time code (SECURITY.md "Key age"). */
  expired: boolean;
  setAt: number | null;
}

export const KEY_MAX_AGE = 90 * DAY;

/**
 * The refund key (退款密钥) of a merchant, optionally overridden per store.
 * This first version reads the merchant's key; management (set/change, strength, history, pin policy,
 * per-store override, reminders) is the refund-key issue's work and extends this service.
 */
export class RefundKeysService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /** The status of the key that guards refunds in this store. */
  async status(merchantId: string, _storeId: string): Promise<RefundKeyStatus> {
    const row = await this.db
      .selectFrom('merchants')
      .select(['refund_key_hash', 'refund_key_set_at'])
      .where('id', '=', merchantId)
      .executeTakeFirst();
    const setAt = row?.refund_key_set_at ?? null;
    return {
      set: Boolean(row?.refund_key_hash),
      policy: 'password',
      expired: setAt !== null && this.clock.now() - setAt > KEY_MAX_AGE,
      setAt,
    };
  }

  /** Check a refund key for this store with Argon2id, off the event loop. */
  async verify(merchantId: string, _storeId: string, candidate: string): Promise<boolean> {
    const row = await this.db.selectFrom('merchants').select('refund_key_hash').where('id', '=', merchantId).executeTakeFirst();
    return row?.refund_key_hash ? verifySecret(row.refund_key_hash, candidate) : false;
  }
}
