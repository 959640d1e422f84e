// Platform-level people made from the command line (`refundkey admin create`, `refundkey support-agent create`): no
// merchant, a login password that passes the strength rules, and audited as the system's act. Support (a floor above)
// makes its agents through createPlatformUser too.
import { AppError } from '../../lib/errors.js';
import { HashedSecret } from '../../lib/hashing.js';
import { checkLoginPassword } from '../../lib/secret-strength.js';
import { AuthErrors } from '../auth/index.js';
import type { StaffRole, StaffUser } from '../staff/index.js';
import { type ProvisioningContext, uniqueLogin } from './provisioning-context.js';

/** Who a platform-level person is: the role stored and the audit event that says they were made. */
export interface PlatformUserKind {
  role: Extract<StaffRole, 'admin' | 'support_agent'>;
  event: string;
}

/**
 * A platform-level person with the password given, audited as `kind.event` by the system from the cli; a weak
 * password is 422 PASSWORD_TOO_WEAK, a login taken 409 LOGIN_TAKEN.
 */
export async function createPlatformUser(
  ctx: Pick<ProvisioningContext, 'db' | 'staff' | 'audit'>,
  kind: PlatformUserKind,
  input: { login: string; name: string; password: string },
): Promise<StaffUser> {
  const report = checkLoginPassword(input.password, [input.login, input.name]);
  if (!report.acceptable) {
    throw AppError.from(AuthErrors, 'PASSWORD_TOO_WEAK', { param: 'password', reasons: report.reasons });
  }
  // Hashed before the transaction, which must not hold its locks while a thread computes Argon2id.
  const password = await HashedSecret.of(input.password);
  return uniqueLogin(() =>
    ctx.db.transaction().execute(async (trx) => {
      const user = await ctx.staff.createUser(
        { merchantId: null, role: kind.role, login: input.login, name: input.name, password },
        trx,
      );
      await ctx.audit.record(trx, {
        merchantId: null,
        actor: { type: 'system' },
        event: kind.event,
        outcome: 'success',
        origin: 'cli',
        object: { type: 'user', id: user.id },
        detail: { login: user.login },
      });
      return user;
    }),
  );
}

/** A platform admin with the password given; a weak one is 422 PASSWORD_TOO_WEAK, a login taken 409 LOGIN_TAKEN. */
export function createPlatformAdmin(
  ctx: ProvisioningContext,
  input: { login: string; name: string; password: string },
): Promise<StaffUser> {
  return createPlatformUser(ctx, { role: 'admin', event: 'admin.created' }, input);
}
