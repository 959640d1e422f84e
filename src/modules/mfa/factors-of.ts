// Which second factors a person has (TOTP, SMS, passkeys, backup codes): asked at sign-in, before a factor is added or
// removed, and by the person's own overview.
import type { Executor } from '../../db/schema.js';
import { toIso } from '../../lib/clock.js';
import type { StaffSession } from '../access/index.js';
import type { SecondFactorMethod } from '../auth/index.js';
import { SECOND_FACTOR_REQUIRED } from '../staff/index.js';
import * as repo from './mfa.repository.js';
import type { SecondFactorKind } from './mfa.table.js';
import { countPasskeys, passkeysOfUser } from './passkey.repository.js';

export interface FactorView {
  kind: SecondFactorKind | 'passkey';
  created_at: string;
  /** A passkey's id and name (a person may have several). */
  id?: string;
  name?: string;
}

/** The methods a user may use at sign-in; empty when the user has no active factor. */
export async function methodsOf(executor: Executor, userId: string): Promise<SecondFactorMethod[]> {
  const factors = (await repo.factorsOfUser(executor, userId)).filter((f) => f.status === 'active');
  const passkeys = await countPasskeys(executor, userId);
  if (factors.length === 0 && passkeys === 0) return [];
  const methods: SecondFactorMethod[] = [];
  if (passkeys > 0) methods.push('passkey');
  if (factors.some((f) => f.kind === 'totp')) methods.push('totp');
  if (factors.some((f) => f.kind === 'sms')) methods.push('sms');
  if ((await repo.unusedBackupCodes(executor, userId)) > 0) methods.push('backup_code');
  return methods;
}

/** True when the user has at least one active second factor. */
export async function hasActiveFactor(executor: Executor, userId: string): Promise<boolean> {
  if ((await repo.factorsOfUser(executor, userId)).some((f) => f.status === 'active')) return true;
  return (await countPasskeys(executor, userId)) > 0;
}

/** The user's active factors and how many backup codes are left. */
export async function overview(
  executor: Executor,
  staff: StaffSession,
): Promise<{ factors: FactorView[]; backupCodesLeft: number; required: boolean }> {
  const factors = (await repo.factorsOfUser(executor, staff.userId)).filter((f) => f.status === 'active');
  const passkeys = await passkeysOfUser(executor, staff.userId);
  return {
    factors: [
      ...factors.map((f): FactorView => ({ kind: f.kind, created_at: toIso(f.confirmed_at ?? f.created_at) })),
      ...passkeys.map(
        (p): FactorView => ({ kind: 'passkey', created_at: toIso(p.created_at), id: p.id, name: p.name }),
      ),
    ],
    backupCodesLeft: await repo.unusedBackupCodes(executor, staff.userId),
    required: SECOND_FACTOR_REQUIRED.includes(staff.role),
  };
}
