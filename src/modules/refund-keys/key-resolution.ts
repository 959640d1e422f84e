import type { Executor } from '../../db/schema.js';
import { together } from '../../lib/together.js';
import * as repo from './refund-keys.repository.js';
import type { RefundKeyPolicy, RefundKeyRow } from './refund-keys.table.js';

/** The key in force for a scope, whichever table it lives in. */
export interface EffectiveKey {
  id: string | null;
  hash: string;
  policy: RefundKeyPolicy;
  setAt: number | null;
}

export function fromRow(row: RefundKeyRow): EffectiveKey {
  return { id: row.id, hash: row.key_hash, policy: row.policy, setAt: row.set_at };
}

/**
 * The key guarding a store: its own override, else the merchant-wide key, else the key kept on the merchant row by
 * earlier versions and the demo. `exact` reads only the named scope (a store without override has no key of its own).
 */
export async function resolveKey(
  db: Executor,
  merchantId: string,
  storeId: string | null,
  { exact = false } = {},
): Promise<EffectiveKey | undefined> {
  let merchantKey: RefundKeyRow | undefined;
  if (storeId !== null && exact) {
    const override = await repo.activeKey(db, merchantId, storeId);
    return override && fromRow(override);
  }
  // The key kept on the merchant row is read beside the others, not after them: a refund reads its key on every request.
  const legacyRead = repo.legacyMerchantKey(db, merchantId);
  if (storeId !== null) {
    // The store's override and the merchant-wide key in one statement.
    const [keys] = await together(repo.activeStoreAndMerchantKeys(db, merchantId, storeId), legacyRead);
    if (keys.store) return fromRow(keys.store);
    merchantKey = keys.merchant;
  } else {
    [merchantKey] = await together(repo.activeKey(db, merchantId, null), legacyRead);
  }
  if (merchantKey) return fromRow(merchantKey);
  const legacy = await legacyRead;
  return legacy?.refund_key_hash
    ? { id: null, hash: legacy.refund_key_hash, policy: 'password', setAt: legacy.refund_key_set_at }
    : undefined;
}
