import { AppError } from '../../lib/errors.js';
import { verifySecret } from '../../lib/hashing.js';
import { checkPasswordStrength, checkPinStrength, type StrengthReport } from '../../lib/secret-strength.js';
import { RefundKeyErrors } from './refund-keys.errors.js';
import type { RefundKeyPolicy } from './refund-keys.table.js';

// docs/security.md "Passwords and refund keys": 8..128 characters (policy password), 6..12 digits (policy pin).
export const KEY_LENGTH = { min: 8, max: 128 } as const;
export const KEY_HISTORY = 4;

/** Strength feedback for a candidate key under a policy; `userInputs` (login, names) count as guessable. */
export function refundKeyStrength(policy: RefundKeyPolicy, key: string, userInputs: string[] = []): StrengthReport {
  return policy === 'pin' ? checkPinStrength(key) : checkPasswordStrength(key, { ...KEY_LENGTH, userInputs });
}

export interface NewKeyCheck {
  policy: RefundKeyPolicy;
  newKey: string;
  confirmKey: string;
  userInputs: string[];
  /** Argon2id hash of the holder's login password. */
  loginPasswordHash: string | undefined;
  /** Argon2id hashes of the last keys of this scope, newest first. */
  recentHashes: string[];
}

/**
 * Refuse a new refund key that does not match its confirmation, is weak for its policy, equals the holder's login
 * password or one of the last 4 keys. Throws the AppError to answer with.
 */
export async function assertAcceptableNewKey(check: NewKeyCheck): Promise<void> {
  if (check.newKey !== check.confirmKey)
    throw AppError.from(RefundKeyErrors, 'KEY_CONFIRMATION_MISMATCH', { param: 'confirm_key' });
  const report = refundKeyStrength(check.policy, check.newKey, check.userInputs);
  if (!report.acceptable) {
    throw AppError.from(RefundKeyErrors, 'REFUND_KEY_TOO_WEAK', {
      param: 'new_key',
      reasons: report.reasons,
      suggestions: report.suggestions,
    });
  }
  if (check.loginPasswordHash && (await verifySecret(check.loginPasswordHash, check.newKey))) {
    throw AppError.from(RefundKeyErrors, 'REFUND_KEY_EQUALS_LOGIN_PASSWORD', { param: 'new_key' });
  }
  for (const hash of check.recentHashes.slice(0, KEY_HISTORY)) {
    if (await verifySecret(hash, check.newKey))
      throw AppError.from(RefundKeyErrors, 'REFUND_KEY_REUSED', { param: 'new_key', history: KEY_HISTORY });
  }
}
