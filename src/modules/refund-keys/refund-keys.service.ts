import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { verifySecret } from '../../lib/hashing.js';
import type { StrengthReport } from '../../lib/secret-strength.js';
import type { StaffSession } from '../access/index.js';
import * as changes from './key-changes.js';
import { remindKeyAge } from './key-notices.js';
import { fromRow, resolveKey } from './key-resolution.js';
import { refundKeyStrength } from './key-rules.js';
import {
  KEY_MAX_AGE,
  KEY_REMINDER_BEFORE,
  keyState,
  keyStatus,
  type RefundKeyGuard,
  type RefundKeyState,
  type RefundKeyStatus,
} from './key-state.js';
import * as repo from './refund-keys.repository.js';
import type { RefundKeyPolicy } from './refund-keys.table.js';
import { need, ownersOf, type RefundKeysContext, type RefundKeysDeps } from './refund-keys-context.js';

export type { RefundKeyGuard, RefundKeyState, RefundKeyStatus } from './key-state.js';
export { KEY_MAX_AGE, KEY_REMINDER_BEFORE } from './key-state.js';
export type { RefundKeyPolicy } from './refund-keys.table.js';
export type { RefundKeysDeps } from './refund-keys-context.js';

/**
 * The refund key (退款密钥) of a merchant, optionally overridden per store: checking, setting, changing, reminding.
 * This class is what the rest of the app holds; it reads and checks keys itself and hands the rest to the file that
 * owns it: key changes (key-changes.ts), what a key's age means (key-state.ts), notices and reminders (key-notices.ts).
 */
export class RefundKeysService {
  private readonly ctx: RefundKeysContext;

  constructor(db: Kysely<DB>, clock: Clock, deps?: RefundKeysDeps) {
    this.ctx = { db, clock, deps };
  }

  /** The status of the key that guards refunds in this store. */
  async status(merchantId: string, storeId: string): Promise<RefundKeyStatus> {
    const { verify: _verify, ...status } = await this.guard(merchantId, storeId);
    return status;
  }

  /** The status of the key that guards refunds in this store, and a check against that key without reading it again. */
  async guard(merchantId: string, storeId: string): Promise<RefundKeyGuard> {
    const key = await resolveKey(this.ctx.db, merchantId, storeId);
    return {
      ...keyStatus(key, this.ctx.clock.now()),
      verify: async (candidate) => (key ? verifySecret(key.hash, candidate) : false),
    };
  }

  /** Check a refund key for this store with Argon2id, off the event loop. */
  async verify(merchantId: string, storeId: string, candidate: string): Promise<boolean> {
    return (await this.guard(merchantId, storeId)).verify(candidate);
  }

  /** True when `candidate` is one of the merchant's active refund keys (a login password must differ from them). */
  async isActiveKeyOfMerchant(merchantId: string, candidate: string): Promise<boolean> {
    const hashes = (await repo.activeKeysOfMerchant(this.ctx.db, merchantId)).map((k) => k.key_hash);
    const effective = await resolveKey(this.ctx.db, merchantId, null);
    if (effective && !hashes.includes(effective.hash)) hashes.push(effective.hash);
    for (const hash of hashes) if (await verifySecret(hash, candidate)) return true;
    return false;
  }

  /** Strength feedback with reasons for a candidate key (nothing is stored or logged). */
  async strength(staff: StaffSession, policy: RefundKeyPolicy, candidate: string): Promise<StrengthReport> {
    return refundKeyStrength(policy, candidate, await changes.userInputs(this.ctx, staff));
  }

  /** The merchant-wide key and every store override the user may see. */
  async overview(staff: StaffSession): Promise<RefundKeyState[]> {
    if (staff.merchantId === null) throw AppError.from(CommonErrors, 'NOT_FOUND');
    const { db, clock } = this.ctx;
    const states: RefundKeyState[] = [];
    const merchantKey = await resolveKey(db, staff.merchantId, null);
    states.push(keyState('merchant', null, merchantKey, clock.now()));
    for (const row of await repo.activeKeysOfMerchant(db, staff.merchantId)) {
      if (row.store_id === null || (staff.storeIds !== null && !staff.storeIds.includes(row.store_id))) continue;
      states.push(keyState('store', row.store_id, fromRow(row), clock.now()));
    }
    return states;
  }

  /** Remove a store's override (after re-authentication): the store falls back to the merchant-wide key. */
  removeStoreOverride(staff: StaffSession, storeId: string): Promise<RefundKeyState> {
    return changes.removeStoreOverride(this.ctx, staff, storeId);
  }

  /** Set a new key for the merchant or one store (after re-authentication): new + confirmation, policy rules apply. */
  setKey(staff: StaffSession, input: changes.NewKeyInput): Promise<RefundKeyState> {
    return changes.setKey(this.ctx, staff, input);
  }

  /** Change the key of a scope with the current one (old + new + confirmation). */
  changeKey(staff: StaffSession, input: changes.NewKeyInput & { oldKey: string }): Promise<RefundKeyState> {
    return changes.changeKey(this.ctx, staff, input);
  }

  /**
   * Replace a forgotten key (issue 15 item 1; key-recovery.service.ts): the new key is checked first, then `proof` (the
   * phone code, counted before it is checked) must pass, then the key is replaced; owners and managers are told.
   */
  recoverKey(staff: StaffSession, input: changes.NewKeyInput, proof: () => Promise<void>): Promise<RefundKeyState> {
    return changes.recoverKey(this.ctx, staff, input, proof);
  }

  /** Queue one reminder per key that reaches 90 days within 7 days (safe with several instances); returns how many. */
  async remindExpiring({ limit = 100 }: { limit?: number } = {}): Promise<number> {
    const { outbox, audit } = need(this.ctx);
    const now = this.ctx.clock.now();
    return remindKeyAge(
      { db: this.ctx.db, outbox, audit, ownersOf: (merchantId) => ownersOf(this.ctx, merchantId) },
      { now, setBefore: now - (KEY_MAX_AGE - KEY_REMINDER_BEFORE), maxAge: KEY_MAX_AGE, limit },
    );
  }
}
