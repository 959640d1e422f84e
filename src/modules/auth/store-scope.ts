import { AppError, CommonErrors } from '../../lib/errors.js';
import type { StaffSession } from '../access/index.js';

/** True when the signed-in user may act on this merchant's store: same merchant, and the store in their scope. */
export function canActOnStore(staff: StaffSession, store: { id: string; merchantId: string }): boolean {
  if (staff.merchantId === null || staff.merchantId !== store.merchantId) return false;
  return staff.storeIds === null || staff.storeIds.includes(store.id);
}

/** Refuse a store outside the user's merchant or store scope with 404, as if it did not exist (docs/api.md). */
export function assertStoreInScope(staff: StaffSession, store: { id: string; merchantId: string }): void {
  if (!canActOnStore(staff, store)) throw AppError.from(CommonErrors, 'NOT_FOUND');
}

/** Refuse another merchant's object with 404; platform admins are not merchant staff and are refused too. */
export function assertMerchantInScope(staff: StaffSession, merchantId: string): void {
  if (staff.merchantId === null || staff.merchantId !== merchantId) throw AppError.from(CommonErrors, 'NOT_FOUND');
}

/** Whether the user acts for the whole merchant (an owner, or staff not limited to some stores). */
export function hasMerchantWideScope(staff: StaffSession): boolean {
  return staff.merchantId !== null && (staff.role === 'owner' || staff.storeIds === null);
}
