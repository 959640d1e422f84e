// A merchant's stores (门店): the owner opens them; staff list the ones within their scope.
import type { StaffSession } from '../auth/index.js';
import { merchantOf, type ProvisioningContext, setupEvent } from './provisioning-context.js';

export interface StoreView {
  id: string;
  object: 'store';
  merchant_id: string;
  name: string;
}

/** A new store of the session's merchant, audited in the same transaction. */
export async function createStore(
  ctx: ProvisioningContext,
  session: StaffSession,
  input: { name: string },
): Promise<StoreView> {
  const merchantId = merchantOf(session);
  return ctx.db.transaction().execute(async (trx) => {
    const store = await ctx.merchants.createStore(merchantId, { name: input.name }, trx);
    await ctx.audit.record(
      trx,
      setupEvent(session, merchantId, 'store.created', { type: 'store', id: store.id }, { name: store.name }),
    );
    return { id: store.id, object: 'store' as const, merchant_id: merchantId, name: store.name };
  });
}

/** The stores the session may act on. */
export async function listStores(ctx: ProvisioningContext, session: StaffSession): Promise<StoreView[]> {
  const merchantId = merchantOf(session);
  return (await ctx.merchants.storesOf(merchantId))
    .filter((s) => session.storeIds === null || session.storeIds.includes(s.id))
    .map((s) => ({ id: s.id, object: 'store' as const, merchant_id: merchantId, name: s.name }));
}
