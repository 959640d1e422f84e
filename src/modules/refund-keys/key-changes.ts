// Changing a refund key (docs/security.md "Passwords and refund keys"): who may change which scope's key, how each
// change is proved (re-authentication, the old key, or a phone code), and how a new key is checked, stored, told to
// the owners and audited; also removing a store's override.
import { isUniqueViolation } from '../../db/database.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { hashSecret, verifySecret } from '../../lib/hashing.js';
import { newId } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import { KEY_CHANGE_PER_USER } from '../attempts/index.js';
import { staffEvent } from '../audit/index.js';
import { assertStoreInScope, hasMerchantWideScope } from '../auth/index.js';
import type { StaffUser } from '../staff/index.js';
import { keyObject, notifyOwners } from './key-notices.js';
import { type EffectiveKey, fromRow, resolveKey } from './key-resolution.js';
import { assertAcceptableNewKey, KEY_HISTORY } from './key-rules.js';
import { keyState, type RefundKeyState } from './key-state.js';
import { RefundKeyErrors } from './refund-keys.errors.js';
import * as repo from './refund-keys.repository.js';
import type { RefundKeyPolicy, RefundKeyRow } from './refund-keys.table.js';
import { need, ownersOf, type RefundKeysContext } from './refund-keys-context.js';

/** A new key for a scope: the key and its confirmation, and the policy (else the current key's, else password). */
export interface NewKeyInput {
  storeId?: string;
  policy?: RefundKeyPolicy;
  newKey: string;
  confirmKey: string;
}

type KeyEvent = 'refund_key.set' | 'refund_key.changed' | 'refund_key.recovered';

/** Set a new key for the merchant or one store (after re-authentication): new + confirmation, policy rules apply. */
export async function setKey(ctx: RefundKeysContext, staff: StaffSession, input: NewKeyInput): Promise<RefundKeyState> {
  const { scope, current } = await scopeAndKey(ctx, staff, input.storeId);
  return replace(ctx, staff, { ...scope, ...newKeyOf(input, current), event: 'refund_key.set' });
}

/** Change the key of a scope with the current one (old + new + confirmation); the old key is counted per user. */
export async function changeKey(
  ctx: RefundKeysContext,
  staff: StaffSession,
  input: NewKeyInput & { oldKey: string },
): Promise<RefundKeyState> {
  const { scope, current } = await scopeAndKey(ctx, staff, input.storeId);
  if (!current) throw AppError.from(RefundKeyErrors, 'REFUND_KEY_NOT_SET');
  await proveOldKey(ctx, staff, scope, current, input.oldKey);
  return replace(ctx, staff, { ...scope, ...newKeyOf(input, current), event: 'refund_key.changed' });
}

/**
 * Replace a forgotten key (issue 15 item 1; key-recovery.service.ts): the new key is checked first, then `proof` (the
 * phone code, counted before it is checked) must pass, then the key is replaced; owners and managers are told.
 */
export async function recoverKey(
  ctx: RefundKeysContext,
  staff: StaffSession,
  input: NewKeyInput,
  proof: () => Promise<void>,
): Promise<RefundKeyState> {
  const { scope, current } = await scopeAndKey(ctx, staff, input.storeId);
  const told = (await need(ctx).staff.usersOfMerchant(scope.merchantId)).filter(
    (u) => (u.role === 'owner' || u.role === 'manager') && u.status === 'active',
  );
  return replace(ctx, staff, { ...scope, ...newKeyOf(input, current), event: 'refund_key.recovered', proof, told });
}

/** Remove a store's override (after re-authentication): the store falls back to the merchant-wide key. */
export async function removeStoreOverride(
  ctx: RefundKeysContext,
  staff: StaffSession,
  storeId: string,
): Promise<RefundKeyState> {
  const { audit, outbox } = need(ctx);
  const scope = await scopeFor(ctx, staff, storeId);
  const store = scope.storeId ?? storeId;
  if (!(await repo.activeKey(ctx.db, scope.merchantId, store)))
    throw AppError.from(RefundKeyErrors, 'REFUND_KEY_NOT_SET');
  const owners = await ownersOf(ctx, scope.merchantId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.retireActive(trx, scope.merchantId, store, now);
    await notifyOwners(outbox, trx, owners, {
      merchantId: scope.merchantId,
      template: 'refund_key_changed',
      params: { at: now, store_id: store },
    });
    await audit.record(
      trx,
      staffEvent(staff, 'refund_key.override_removed', { object: keyObject(scope.merchantId, store) }),
    );
  });
  return keyState('merchant', null, await resolveKey(ctx.db, scope.merchantId, null), ctx.clock.now());
}

/** The words a person's key must not be built from: their login (and its parts), their name, their merchant's name. */
export async function userInputs(ctx: RefundKeysContext, staff: StaffSession): Promise<string[]> {
  const user = await need(ctx).staff.getUser(staff.userId);
  const merchant = staff.merchantId ? await repo.legacyMerchantKey(ctx.db, staff.merchantId) : undefined;
  return [user?.login ?? '', ...(user?.login.split(/[@.]/) ?? []), user?.name ?? '', merchant?.name ?? ''].filter(
    (s) => s.length >= 3,
  );
}

interface KeyScope {
  merchantId: string;
  storeId: string | null;
}

/** The merchant and store a key change applies to, checked against the user's merchant and store scope. */
async function scopeFor(ctx: RefundKeysContext, staff: StaffSession, storeId: string | undefined): Promise<KeyScope> {
  if (staff.merchantId === null) throw AppError.from(CommonErrors, 'NOT_FOUND');
  if (storeId === undefined) {
    // The merchant-wide key guards every store: only the owner or staff not limited to some stores may set it.
    if (!hasMerchantWideScope(staff)) throw AppError.from(CommonErrors, 'FORBIDDEN');
    return { merchantId: staff.merchantId, storeId: null };
  }
  const store = await need(ctx).merchants.getStore(storeId);
  assertStoreInScope(staff, store);
  return { merchantId: staff.merchantId, storeId: store.id };
}

/** The scope a key change applies to and the key set for exactly that scope, if any. */
async function scopeAndKey(
  ctx: RefundKeysContext,
  staff: StaffSession,
  storeId: string | undefined,
): Promise<{ scope: KeyScope; current: EffectiveKey | undefined }> {
  const scope = await scopeFor(ctx, staff, storeId);
  return { scope, current: await resolveKey(ctx.db, scope.merchantId, scope.storeId, { exact: true }) };
}

/** The new key and its confirmation, under the policy asked for, else the current key's, else password. */
function newKeyOf(input: NewKeyInput, current: EffectiveKey | undefined) {
  return { policy: input.policy ?? current?.policy ?? 'password', newKey: input.newKey, confirmKey: input.confirmKey };
}

/** The old key is a secret like any other: counted per user before it is checked (docs/security.md). */
async function proveOldKey(
  ctx: RefundKeysContext,
  staff: StaffSession,
  scope: KeyScope,
  current: EffectiveKey,
  oldKey: string,
): Promise<void> {
  const { attempts } = need(ctx);
  const subject = { rule: KEY_CHANGE_PER_USER, subject: staff.userId, merchantId: scope.merchantId };
  const claim = await attempts.claim([subject]);
  if (!claim.ok) {
    await auditRefusal(ctx, staff, scope, 'refund_key.changed', 'KEY_CHANGE_LOCKED');
    throw AppError.from(RefundKeyErrors, 'KEY_CHANGE_LOCKED', {
      retry_after_s: claim.retryAfterS ?? Math.ceil((KEY_CHANGE_PER_USER.lockMs ?? 0) / 1000),
    });
  }
  if (!(await attempts.verifying(claim.ticket, () => verifySecret(current.hash, oldKey)))) {
    await attempts.failed(claim.ticket);
    await auditRefusal(ctx, staff, scope, 'refund_key.changed', 'OLD_REFUND_KEY_INVALID');
    throw AppError.from(RefundKeyErrors, 'OLD_REFUND_KEY_INVALID', {
      param: 'old_key',
      attempts_left: await attempts.attemptsLeft(subject),
    });
  }
  await attempts.succeeded(claim.ticket);
}

/**
 * Check a new key against the rules (a refusal is audited), then `proof`, then store it as the scope's next version,
 * retiring the one before; the owners (or `told`) are notified in the same transaction.
 */
async function replace(
  ctx: RefundKeysContext,
  staff: StaffSession,
  change: KeyScope & {
    policy: RefundKeyPolicy;
    newKey: string;
    confirmKey: string;
    event: KeyEvent;
    proof?: () => Promise<void>;
    told?: StaffUser[];
  },
): Promise<RefundKeyState> {
  const { merchantId, storeId, policy, event } = change;
  const { staff: staffService, audit, outbox } = need(ctx);
  const recent = await repo.recentKeys(ctx.db, merchantId, storeId, KEY_HISTORY);
  const recentHashes = recent.map((r) => r.key_hash);
  const legacy = storeId === null ? await repo.legacyMerchantKey(ctx.db, merchantId) : undefined;
  if (legacy?.refund_key_hash) recentHashes.push(legacy.refund_key_hash);
  try {
    await assertAcceptableNewKey({
      policy,
      newKey: change.newKey,
      confirmKey: change.confirmKey,
      userInputs: await userInputs(ctx, staff),
      loginPasswordHash: await staffService.passwordHashOf(staff.userId),
      recentHashes,
    });
  } catch (error) {
    if (error instanceof AppError) await auditRefusal(ctx, staff, change, event, error.code);
    throw error;
  }
  if (change.proof) await change.proof();
  const now = ctx.clock.now();
  const row: RefundKeyRow = {
    id: newId('rky'),
    merchant_id: merchantId,
    store_id: storeId,
    version: Number(recent[0]?.version ?? 0) + 1,
    policy,
    key_hash: await hashSecret(change.newKey),
    set_by: staff.userId,
    set_at: now,
    retired_at: null,
    reminded_at: null,
  };
  const owners = change.told ?? (await ownersOf(ctx, merchantId));
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.retireActive(trx, merchantId, storeId, now);
      await repo.insertKey(trx, row);
      // docs/security.md "Passwords and refund keys": a change notifies the owner.
      await notifyOwners(outbox, trx, owners, {
        merchantId,
        template: 'refund_key_changed',
        params: { at: now, store_id: storeId, policy },
      });
      await audit.record(trx, staffEvent(staff, event, { object: keyObject(merchantId, storeId), detail: { policy } }));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw AppError.from(RefundKeyErrors, 'REFUND_KEY_CHANGED_CONCURRENTLY');
    throw error;
  }
  return keyState(storeId === null ? 'merchant' : 'store', storeId, fromRow(row), ctx.clock.now());
}

async function auditRefusal(
  ctx: RefundKeysContext,
  staff: StaffSession,
  { merchantId, storeId }: KeyScope,
  event: string,
  code: string,
): Promise<void> {
  await need(ctx).audit.record(
    undefined,
    staffEvent(staff, event, {
      outcome: 'failure',
      object: keyObject(merchantId, storeId),
      detail: { reason: code },
    }),
  );
}
