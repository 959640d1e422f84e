// Adding and removing a person's own second factors (TOTP, SMS) and their backup codes: a factor is active only after
// its first right code, the person is told of every change, and it is audited as their own change.
import type { Executor } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import { ownChangeEvent } from '../audit/index.js';
import { maskPhone, SECOND_FACTOR_REQUIRED, type StaffUser } from '../staff/index.js';
import { notifyChange } from './account-notices.js';
import { newBackupCodes } from './backup-codes.js';
import { hasActiveFactor } from './factors-of.js';
import { MfaErrors } from './mfa.errors.js';
import * as repo from './mfa.repository.js';
import type { SecondFactorKind, SecondFactorRow } from './mfa.table.js';
import { type MfaContext, userOf } from './mfa-context.js';
import { countPasskeys } from './passkey.repository.js';
import { sendSmsCode, useSmsCode } from './sms-codes.js';
import { newTotpSecret, otpauthUrl } from './totp.js';
import { useTotp } from './totp-steps.js';

/**
 * Start a TOTP enrolment: a new seed, shown once; active only after a right code (confirmTotp), when it replaces the
 * person's previous TOTP (a new phone), so a half-done enrolment never leaves the person without one.
 */
export async function startTotp(ctx: MfaContext, staff: StaffSession): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await userOf(ctx, staff.userId);
  const secret = newTotpSecret(ctx.random);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.deleteFactors(trx, user.id, 'totp', 'pending');
    await repo.insertFactor(trx, factorRow(ctx, user.id, 'totp', secret, ctx.clock.now(), 'pending'));
  });
  return { secret, otpauthUrl: otpauthUrl(secret, user.login) };
}

/** Confirm a TOTP enrolment with a code from the app: the factor becomes active; 10 new backup codes, shown once. */
export async function confirmTotp(ctx: MfaContext, staff: StaffSession, code: string): Promise<string[]> {
  const user = await userOf(ctx, staff.userId);
  const pending = await repo.findFactor(ctx.db, user.id, 'totp', 'pending');
  if (!pending?.secret_sealed) throw AppError.from(MfaErrors, 'SECOND_FACTOR_NOT_ENROLLED');
  const sealed = pending.secret_sealed;
  await ctx.guard.checked(user, staff.ip, 'mfa.enrol', () => useTotp(ctx, pending.id, sealed, code));
  return activate(ctx, user, staff, pending.id, 'totp');
}

/** Start an SMS factor: a code goes to the profile phone; active after it comes back (confirmSms). */
export async function startSms(ctx: MfaContext, staff: StaffSession): Promise<{ sentTo: string; expiresAt: number }> {
  const user = await userOf(ctx, staff.userId);
  if (!user.phone) throw AppError.from(MfaErrors, 'NO_PHONE');
  if (await repo.findFactor(ctx.db, user.id, 'sms', 'active')) {
    throw AppError.from(MfaErrors, 'SECOND_FACTOR_ALREADY_ENROLLED');
  }
  const phone = user.phone;
  const row = factorRow(ctx, user.id, 'sms', null, ctx.clock.now(), 'pending');
  return ctx.db.transaction().execute(async (trx) => {
    await repo.deleteFactors(trx, user.id, 'sms', 'pending');
    await repo.insertFactor(trx, row);
    const expiresAt = await sendSmsCode(ctx, trx, user, phone, 'enrol_sms', row.id);
    return { sentTo: maskPhone(phone), expiresAt };
  });
}

/** Confirm the SMS factor with the code sent to the phone; 10 new backup codes, shown once. */
export async function confirmSms(ctx: MfaContext, staff: StaffSession, code: string): Promise<string[]> {
  const user = await userOf(ctx, staff.userId);
  const pending = await repo.findFactor(ctx.db, user.id, 'sms', 'pending');
  if (!pending) throw AppError.from(MfaErrors, 'SECOND_FACTOR_NOT_ENROLLED');
  await ctx.guard.checked(user, staff.ip, 'mfa.enrol', () => useSmsCode(ctx, 'enrol_sms', pending.id, code));
  return activate(ctx, user, staff, pending.id, 'sms');
}

/** Remove a factor (re-authenticated); an owner, manager or admin keeps at least one. The person is told. */
export async function removeFactor(ctx: MfaContext, staff: StaffSession, kind: SecondFactorKind): Promise<void> {
  const user = await userOf(ctx, staff.userId);
  const active = (await repo.factorsOfUser(ctx.db, user.id)).filter((f) => f.status === 'active');
  const target = active.find((f) => f.kind === kind);
  if (!target) throw AppError.from(MfaErrors, 'SECOND_FACTOR_NOT_ENROLLED');
  const last = active.length + (await countPasskeys(ctx.db, user.id)) === 1;
  if (last && SECOND_FACTOR_REQUIRED.includes(user.role)) throw AppError.from(MfaErrors, 'SECOND_FACTOR_LAST');
  await ctx.db.transaction().execute(async (trx) => {
    await repo.deleteFactors(trx, user.id, kind, 'active');
    await repo.deleteStepsOfFactor(trx, target.id);
    if (last) await repo.deleteBackupCodes(trx, user.id);
    await notifyChange(ctx, trx, user, 'factor_removed');
    await ctx.deps.audit.record(trx, ownChangeEvent(user, staff.ip, 'mfa.factor_removed', { kind }));
  });
}

/** A new set of 10 backup codes for a person with a factor: the old set stops working at once. Shown once. */
export async function regenerateBackupCodes(ctx: MfaContext, staff: StaffSession): Promise<string[]> {
  const user = await userOf(ctx, staff.userId);
  if (!(await hasActiveFactor(ctx.db, user.id))) throw AppError.from(MfaErrors, 'SECOND_FACTOR_NOT_ENROLLED');
  return ctx.db.transaction().execute(async (trx) => {
    const codes = await newBackupCodes(ctx, trx, user.id);
    await notifyChange(ctx, trx, user, 'backup_codes_regenerated');
    await ctx.deps.audit.record(trx, ownChangeEvent(user, staff.ip, 'mfa.backup_codes_regenerated', {}));
    return codes;
  });
}

/**
 * A demo person's TOTP factor, active at once, with backup codes: `refundkey demo` prints them so the demo owner and
 * manager can sign in (API.md "Bootstrapping").
 */
export async function enrolForDemo(
  ctx: MfaContext,
  userId: string,
): Promise<{ totpSecret: string; backupCodes: string[] }> {
  const secret = newTotpSecret(ctx.random);
  const now = ctx.clock.now();
  const backupCodes = await ctx.db.transaction().execute(async (trx) => {
    await repo.insertFactor(trx, factorRow(ctx, userId, 'totp', secret, now, 'active'));
    return newBackupCodes(ctx, trx, userId);
  });
  return { totpSecret: secret, backupCodes };
}

/** The pending factor becomes the person's active one of its kind (the old one goes), with new backup codes. */
async function activate(
  ctx: MfaContext,
  user: StaffUser,
  staff: StaffSession,
  factorId: string,
  kind: SecondFactorKind,
): Promise<string[]> {
  return ctx.db.transaction().execute(async (trx) => {
    await dropActiveFactor(trx, user.id, kind);
    if (!(await repo.activateFactor(trx, factorId, ctx.clock.now()))) {
      throw AppError.from(MfaErrors, 'SECOND_FACTOR_FAILED');
    }
    const codes = await newBackupCodes(ctx, trx, user.id);
    await notifyChange(ctx, trx, user, 'factor_added');
    await ctx.deps.audit.record(trx, ownChangeEvent(user, staff.ip, 'mfa.factor_added', { kind }));
    return codes;
  });
}

/** The person's active factor of this kind goes, with the TOTP steps it used. */
async function dropActiveFactor(trx: Executor, userId: string, kind: SecondFactorKind): Promise<void> {
  const old = (await repo.factorsOfUser(trx, userId)).filter((f) => f.kind === kind && f.status === 'active');
  for (const factor of old) await repo.deleteStepsOfFactor(trx, factor.id);
  await repo.deleteFactors(trx, userId, kind, 'active');
}

/** A new factor row: a TOTP seed, sealed here, or SMS (no secret); confirmed now when it starts active. */
function factorRow(
  ctx: MfaContext,
  userId: string,
  kind: SecondFactorKind,
  secret: string | null,
  now: number,
  status: 'pending' | 'active',
): SecondFactorRow {
  return {
    id: newId('mfa', ctx.random),
    user_id: userId,
    kind,
    status,
    secret_sealed: secret === null ? null : ctx.sealer.seal(secret),
    created_at: now,
    confirmed_at: status === 'active' ? now : null,
  };
}
