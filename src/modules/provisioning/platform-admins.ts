// Platform admins (`refundkey admin create`): created from the command line, with a login password that passes the
// strength rules, and audited as the system's act.
import { AppError } from '../../lib/errors.js';
import { checkLoginPassword } from '../../lib/secret-strength.js';
import { AuthErrors } from '../auth/index.js';
import type { StaffUser } from '../staff/index.js';
import { type ProvisioningContext, uniqueLogin } from './provisioning-context.js';

/** A platform admin with the password given; a weak one is 422 PASSWORD_TOO_WEAK, a login taken 409 LOGIN_TAKEN. */
export async function createPlatformAdmin(
  ctx: ProvisioningContext,
  input: { login: string; name: string; password: string },
): Promise<StaffUser> {
  const report = checkLoginPassword(input.password, [input.login, input.name]);
  if (!report.acceptable) {
    throw AppError.from(AuthErrors, 'PASSWORD_TOO_WEAK', { param: 'password', reasons: report.reasons });
  }
  return uniqueLogin(() =>
    ctx.db.transaction().execute(async (trx) => {
      const admin = await ctx.staff.createUser(
        { merchantId: null, role: 'admin', login: input.login, name: input.name, password: input.password },
        trx,
      );
      await ctx.audit.record(trx, {
        merchantId: null,
        actor: { type: 'system' },
        event: 'admin.created',
        outcome: 'success',
        origin: 'cli',
        object: { type: 'user', id: admin.id },
        detail: { login: admin.login },
      });
      return admin;
    }),
  );
}
