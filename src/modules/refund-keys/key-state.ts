// What a refund key's age means (docs/security.md "Passwords and refund keys"): older than 90 days it is expired, and
// its owners are reminded 7 days before; and the key's state as the refund path and the back office see it.
import { DAY } from '../../lib/clock.js';
import type { EffectiveKey } from './key-resolution.js';
import type { RefundKeyPolicy } from './refund-keys.table.js';

export const KEY_MAX_AGE = 90 * DAY;
export const KEY_REMINDER_BEFORE = 7 * DAY;

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

/** The status of a key (or of none) at `now`. */
export function keyStatus(key: EffectiveKey | undefined, now: number): RefundKeyStatus {
  const setAt = key?.setAt ?? null;
  return {
    set: Boolean(key),
    policy: key?.policy ?? 'password',
    expired: setAt !== null && now - setAt > KEY_MAX_AGE,
    setAt,
  };
}

/** The state of a scope's key (or of none) at `now`, with when it expires and when its owners are reminded. */
export function keyState(
  scope: 'merchant' | 'store',
  storeId: string | null,
  key: EffectiveKey | undefined,
  now: number,
): RefundKeyState {
  const status = keyStatus(key, now);
  const { setAt } = status;
  return {
    scope,
    storeId,
    ...status,
    expiresAt: setAt === null ? null : setAt + KEY_MAX_AGE,
    reminderAt: setAt === null ? null : setAt + KEY_MAX_AGE - KEY_REMINDER_BEFORE,
    ageDays: setAt === null ? null : Math.max(0, Math.floor((now - setAt) / DAY)),
  };
}
