import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type Clock, DAY } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { hashSecret, verifySecret } from '../../lib/hashing.js';
import { newId } from '../../lib/random.js';
import type { StrengthReport } from '../../lib/secret-strength.js';
import type { StaffSession } from '../access/index.js';
import { type AttemptLimiter, KEY_CHANGE_PER_USER } from '../attempts/index.js';
import { type AuditService, staffEvent } from '../audit/index.js';
import { assertStoreInScope, hasMerchantWideScope } from '../auth/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import { keyObject, notifyOwners, remindKeyAge } from './key-notices.js';
import { type EffectiveKey, fromRow, resolveKey } from './key-resolution.js';
import { assertAcceptableNewKey, KEY_HISTORY, refundKeyStrength } from './key-rules.js';
import { RefundKeyErrors } from './refund-keys.errors.js';
import * as repo from './refund-keys.repository.js';
import type { RefundKeyPolicy, RefundKeyRow } from './refund-keys.table.js';

export type { RefundKeyPolicy } from './refund-keys.table.js';

/** What the refund authorization needs to know about the key that guards a store's refunds. */
export interface RefundKeyStatus {
  set: boolean;
  policy: RefundKeyPolicy;
  /** Older than 90 days: it then works only together with a one-time code (docs/security.md "Passwords and refund keys"). */
  expired: boolean;
  setAt: number | null;
}

/** The key guarding a store's refunds, read once: its status, and a check of a candidate against that same key. */
export interface RefundKeyGuard extends RefundKeyStatus {
  /** Check a candidate with Argon2id, off the event loop; false when no key is set. */
  verify(candidate: string): Promise<boolean>;
}

/** The key of one scope as the back office shows it (never the key or its hash). */
export interface RefundKeyState extends RefundKeyStatus {
  scope: 'merchant' | 'store';
  storeId: string | null;
  expiresAt: number | null;
  /** When the owners are reminded to change the key (remindExpiring): 7 days before it expires. */
  reminderAt: number | null;
  /** Whole days since the key was set (the server's clock). */
  ageDays: number | null;
}

export const KEY_MAX_AGE = 90 * DAY;
export const KEY_REMINDER_BEFORE = 7 * DAY;

/** Collaborators for key management; reading (`status`, `verify`) needs none of them. */
export interface RefundKeysDeps {
  staff: StaffService;
  merchants: MerchantsService;
  audit: AuditService;
  outbox: OutboxService;
  attempts: AttemptLimiter;
}

/** The refund key (退款密钥) of a merchant, optionally overridden per store: checking, setting, changing, reminding. */
export class RefundKeysService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly deps?: RefundKeysDeps,
  ) {}

  /** The status of the key that guards refunds in this store. */
  async status(merchantId: string, storeId: string): Promise<RefundKeyStatus> {
    const { verify: _verify, ...status } = await this.guard(merchantId, storeId);
    return status;
  }

  /** The status of the key that guards refunds in this store, and a check against that key without reading it again. */
  async guard(merchantId: string, storeId: string): Promise<RefundKeyGuard> {
    const key = await resolveKey(this.db, merchantId, storeId);
    const setAt = key?.setAt ?? null;
    return {
      set: Boolean(key),
      policy: key?.policy ?? 'password',
      expired: this.isExpired(setAt),
      setAt,
      verify: async (candidate) => (key ? verifySecret(key.hash, candidate) : false),
    };
  }

  /** Check a refund key for this store with Argon2id, off the event loop. */
  async verify(merchantId: string, storeId: string, candidate: string): Promise<boolean> {
    const key = await resolveKey(this.db, merchantId, storeId);
    return key ? verifySecret(key.hash, candidate) : false;
  }

  /** True when `candidate` is one of the merchant's active refund keys (a login password must differ from them). */
  async isActiveKeyOfMerchant(merchantId: string, candidate: string): Promise<boolean> {
    const hashes = (await repo.activeKeysOfMerchant(this.db, merchantId)).map((k) => k.key_hash);
    const effective = await resolveKey(this.db, merchantId, null);
    if (effective && !hashes.includes(effective.hash)) hashes.push(effective.hash);
    for (const hash of hashes) if (await verifySecret(hash, candidate)) return true;
    return false;
  }

  /** Strength feedback with reasons for a candidate key (nothing is stored or logged). */
  async strength(staff: StaffSession, policy: RefundKeyPolicy, candidate: string): Promise<StrengthReport> {
    return refundKeyStrength(policy, candidate, await this.userInputs(staff));
  }

  /** The merchant-wide key and every store override the user may see. */
  async overview(staff: StaffSession): Promise<RefundKeyState[]> {
    if (staff.merchantId === null) throw AppError.from(CommonErrors, 'NOT_FOUND');
    const states: RefundKeyState[] = [];
    const merchantKey = await resolveKey(this.db, staff.merchantId, null);
    states.push(this.state('merchant', null, merchantKey));
    for (const row of await repo.activeKeysOfMerchant(this.db, staff.merchantId)) {
      if (row.store_id === null || (staff.storeIds !== null && !staff.storeIds.includes(row.store_id))) continue;
      states.push(this.state('store', row.store_id, fromRow(row)));
    }
    return states;
  }

  /** Remove a store's override (after re-authentication): the store falls back to the merchant-wide key. */
  async removeStoreOverride(staff: StaffSession, storeId: string): Promise<RefundKeyState> {
    const { audit, outbox } = this.need();
    const scope = await this.scopeFor(staff, storeId);
    const store = scope.storeId ?? storeId;
    if (!(await repo.activeKey(this.db, scope.merchantId, store)))
      throw AppError.from(RefundKeyErrors, 'REFUND_KEY_NOT_SET');
    const owners = await this.ownersOf(scope.merchantId);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
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
    return this.state('merchant', null, await resolveKey(this.db, scope.merchantId, null));
  }

  /** Set a new key for the merchant or one store (after re-authentication): new + confirmation, policy rules apply. */
  async setKey(
    staff: StaffSession,
    input: { storeId?: string; policy?: RefundKeyPolicy; newKey: string; confirmKey: string },
  ): Promise<RefundKeyState> {
    const { merchantId, storeId } = await this.scopeFor(staff, input.storeId);
    const current = await resolveKey(this.db, merchantId, storeId, { exact: true });
    return this.replace(
      staff,
      merchantId,
      storeId,
      input.policy ?? current?.policy ?? 'password',
      input.newKey,
      input.confirmKey,
      'refund_key.set',
    );
  }

  /** Change the key of a scope with the current one (old + new + confirmation). */
  async changeKey(
    staff: StaffSession,
    input: { storeId?: string; policy?: RefundKeyPolicy; oldKey: string; newKey: string; confirmKey: string },
  ): Promise<RefundKeyState> {
    const { merchantId, storeId } = await this.scopeFor(staff, input.storeId);
    const current = await resolveKey(this.db, merchantId, storeId, { exact: true });
    if (!current) throw AppError.from(RefundKeyErrors, 'REFUND_KEY_NOT_SET');
    // The old key is a secret like any other: counted per user before it is checked (docs/security.md).
    const { attempts } = this.need();
    const subject = { rule: KEY_CHANGE_PER_USER, subject: staff.userId, merchantId };
    const claim = await attempts.claim([subject]);
    if (!claim.ok) {
      await this.auditRefusal(staff, merchantId, storeId, 'refund_key.changed', 'KEY_CHANGE_LOCKED');
      throw AppError.from(RefundKeyErrors, 'KEY_CHANGE_LOCKED', {
        retry_after_s: claim.retryAfterS ?? Math.ceil((KEY_CHANGE_PER_USER.lockMs ?? 0) / 1000),
      });
    }
    if (!(await attempts.verifying(claim.ticket, () => verifySecret(current.hash, input.oldKey)))) {
      await attempts.failed(claim.ticket);
      await this.auditRefusal(staff, merchantId, storeId, 'refund_key.changed', 'OLD_REFUND_KEY_INVALID');
      throw AppError.from(RefundKeyErrors, 'OLD_REFUND_KEY_INVALID', {
        param: 'old_key',
        attempts_left: await attempts.attemptsLeft(subject),
      });
    }
    await attempts.succeeded(claim.ticket);
    return this.replace(
      staff,
      merchantId,
      storeId,
      input.policy ?? current.policy,
      input.newKey,
      input.confirmKey,
      'refund_key.changed',
    );
  }

  /**
   * Replace a forgotten key (issue 15 item 1; key-recovery.service.ts): the new key is checked first, then `proof` (the
   * phone code, counted before it is checked) must pass, then the key is replaced; owners and managers are told.
   */
  async recoverKey(
    staff: StaffSession,
    input: { storeId?: string; policy?: RefundKeyPolicy; newKey: string; confirmKey: string },
    proof: () => Promise<void>,
  ): Promise<RefundKeyState> {
    const { merchantId, storeId } = await this.scopeFor(staff, input.storeId);
    const current = await resolveKey(this.db, merchantId, storeId, { exact: true });
    const told = (await this.need().staff.usersOfMerchant(merchantId)).filter(
      (u) => (u.role === 'owner' || u.role === 'manager') && u.status === 'active',
    );
    return this.replace(
      staff,
      merchantId,
      storeId,
      input.policy ?? current?.policy ?? 'password',
      input.newKey,
      input.confirmKey,
      'refund_key.recovered',
      { proof, told },
    );
  }

  /** Queue one reminder per key that reaches 90 days within 7 days (safe with several instances); returns how many. */
  async remindExpiring({ limit = 100 }: { limit?: number } = {}): Promise<number> {
    const { outbox, audit } = this.need();
    const now = this.clock.now();
    return remindKeyAge(
      { db: this.db, outbox, audit, ownersOf: (merchantId) => this.ownersOf(merchantId) },
      { now, setBefore: now - (KEY_MAX_AGE - KEY_REMINDER_BEFORE), maxAge: KEY_MAX_AGE, limit },
    );
  }

  private async replace(
    staff: StaffSession,
    merchantId: string,
    storeId: string | null,
    policy: RefundKeyPolicy,
    newKey: string,
    confirmKey: string,
    event: 'refund_key.set' | 'refund_key.changed' | 'refund_key.recovered',
    { proof, told }: { proof?: () => Promise<void>; told?: StaffUser[] } = {},
  ): Promise<RefundKeyState> {
    const { staff: staffService, audit, outbox } = this.need();
    const recent = await repo.recentKeys(this.db, merchantId, storeId, KEY_HISTORY);
    const recentHashes = recent.map((r) => r.key_hash);
    const legacy = storeId === null ? await repo.legacyMerchantKey(this.db, merchantId) : undefined;
    if (legacy?.refund_key_hash) recentHashes.push(legacy.refund_key_hash);
    try {
      await assertAcceptableNewKey({
        policy,
        newKey,
        confirmKey,
        userInputs: await this.userInputs(staff),
        loginPasswordHash: await staffService.passwordHashOf(staff.userId),
        recentHashes,
      });
    } catch (error) {
      if (error instanceof AppError) await this.auditRefusal(staff, merchantId, storeId, event, error.code);
      throw error;
    }
    if (proof) await proof();
    const now = this.clock.now();
    const row: RefundKeyRow = {
      id: newId('rky'),
      merchant_id: merchantId,
      store_id: storeId,
      version: Number(recent[0]?.version ?? 0) + 1,
      policy,
      key_hash: await hashSecret(newKey),
      set_by: staff.userId,
      set_at: now,
      retired_at: null,
      reminded_at: null,
    };
    const owners = told ?? (await this.ownersOf(merchantId));
    try {
      await this.db.transaction().execute(async (trx) => {
        await repo.retireActive(trx, merchantId, storeId, now);
        await repo.insertKey(trx, row);
        // docs/security.md "Passwords and refund keys": a change notifies the owner.
        await notifyOwners(outbox, trx, owners, {
          merchantId,
          template: 'refund_key_changed',
          params: { at: now, store_id: storeId, policy },
        });
        await audit.record(
          trx,
          staffEvent(staff, event, { object: keyObject(merchantId, storeId), detail: { policy } }),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw AppError.from(RefundKeyErrors, 'REFUND_KEY_CHANGED_CONCURRENTLY');
      throw error;
    }
    return this.state(storeId === null ? 'merchant' : 'store', storeId, fromRow(row));
  }

  /** The merchant and store a key change applies to, checked against the user's merchant and store scope. */
  private async scopeFor(
    staff: StaffSession,
    storeId: string | undefined,
  ): Promise<{ merchantId: string; storeId: string | null }> {
    if (staff.merchantId === null) throw AppError.from(CommonErrors, 'NOT_FOUND');
    if (storeId === undefined) {
      // The merchant-wide key guards every store: only the owner or staff not limited to some stores may set it.
      if (!hasMerchantWideScope(staff)) throw AppError.from(CommonErrors, 'FORBIDDEN');
      return { merchantId: staff.merchantId, storeId: null };
    }
    const store = await this.need().merchants.getStore(storeId);
    assertStoreInScope(staff, store);
    return { merchantId: staff.merchantId, storeId: store.id };
  }

  private state(scope: 'merchant' | 'store', storeId: string | null, key: EffectiveKey | undefined): RefundKeyState {
    const setAt = key?.setAt ?? null;
    return {
      scope,
      storeId,
      set: Boolean(key),
      policy: key?.policy ?? 'password',
      setAt,
      expiresAt: setAt === null ? null : setAt + KEY_MAX_AGE,
      reminderAt: setAt === null ? null : setAt + KEY_MAX_AGE - KEY_REMINDER_BEFORE,
      ageDays: setAt === null ? null : Math.max(0, Math.floor((this.clock.now() - setAt) / DAY)),
      expired: this.isExpired(setAt),
    };
  }

  private isExpired(setAt: number | null): boolean {
    return setAt !== null && this.clock.now() - setAt > KEY_MAX_AGE;
  }

  private async userInputs(staff: StaffSession): Promise<string[]> {
    const user = await this.need().staff.getUser(staff.userId);
    const merchant = staff.merchantId ? await repo.legacyMerchantKey(this.db, staff.merchantId) : undefined;
    return [user?.login ?? '', ...(user?.login.split(/[@.]/) ?? []), user?.name ?? '', merchant?.name ?? ''].filter(
      (s) => s.length >= 3,
    );
  }

  private async ownersOf(merchantId: string) {
    return (await this.need().staff.usersOfMerchant(merchantId)).filter((u) => u.role === 'owner');
  }

  private async auditRefusal(
    staff: StaffSession,
    merchantId: string,
    storeId: string | null,
    event: string,
    code: string,
  ): Promise<void> {
    await this.need().audit.record(
      undefined,
      staffEvent(staff, event, {
        outcome: 'failure',
        object: keyObject(merchantId, storeId),
        detail: { reason: code },
      }),
    );
  }

  private need(): RefundKeysDeps {
    if (!this.deps) throw new Error('RefundKeysService was built without its management dependencies');
    return this.deps;
  }
}
