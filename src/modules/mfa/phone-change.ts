// Changing a person's phone: the new number becomes theirs only once the code sent to it comes back.
import { AppError } from '../../lib/errors.js';
import type { StaffSession } from '../access/index.js';
import { ownChangeEvent } from '../audit/index.js';
import { maskPhone } from '../staff/index.js';
import { isCodeOf } from './account-codes.js';
import { MfaErrors } from './mfa.errors.js';
import * as repo from './mfa.repository.js';
import { type MfaContext, userOf } from './mfa-context.js';
import { sendSmsCode } from './sms-codes.js';

/**
 * Start changing the person's phone: a code goes to the new number (5 minutes, once; counted with the person's other
 * SMS codes). A new request voids the previous one.
 */
export async function startNewPhone(
  ctx: MfaContext,
  staff: StaffSession,
  phone: string,
): Promise<{ sentTo: string; expiresAt: number }> {
  const user = await userOf(ctx, staff.userId);
  return ctx.db.transaction().execute(async (trx) => {
    const expiresAt = await sendSmsCode(ctx, trx, user, phone, 'verify_phone', phone, 'phone_verification');
    await ctx.deps.audit.record(
      trx,
      ownChangeEvent(user, staff.ip, 'account.phone_change_requested', { sent_to: maskPhone(phone) }),
    );
    return { sentTo: maskPhone(phone), expiresAt };
  });
}

/**
 * The code sent to a new phone, counted like a second-factor code before it is checked, used once: answers the number
 * it verified. 409 PHONE_CHANGE_NOT_STARTED when no change waits; 401 SECOND_FACTOR_FAILED when the code is wrong.
 */
export async function confirmNewPhone(ctx: MfaContext, staff: StaffSession, code: string): Promise<string> {
  const user = await userOf(ctx, staff.userId);
  if ((await repo.liveAccountCodes(ctx.db, 'verify_phone', { userId: user.id }, ctx.clock.now())).length === 0) {
    throw AppError.from(MfaErrors, 'PHONE_CHANGE_NOT_STARTED');
  }
  let verified: string | undefined;
  await ctx.guard.checked(user, staff.ip, 'account.phone_verify', async () => {
    const now = ctx.clock.now();
    for (const row of await repo.liveAccountCodes(ctx.db, 'verify_phone', { userId: user.id }, now)) {
      if (!isCodeOf(ctx, row, code.trim())) continue;
      if (!(await repo.useAccountCode(ctx.db, row.id, now))) return false;
      verified = row.bound_to;
      return true;
    }
    return false;
  });
  if (!verified) throw AppError.from(MfaErrors, 'SECOND_FACTOR_FAILED');
  return verified;
}
