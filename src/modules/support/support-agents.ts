import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { checkLoginPassword } from '../../lib/secret-strength.js';
import type { AuditService } from '../audit/index.js';
import { AuthErrors } from '../auth/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';

/**
 * `refundkey support-agent create --login L`: a support agent (客服) is platform-level like an admin (no merchant) and
 * enrols a second factor at the first sign-in (SECOND_FACTOR_REQUIRED). Created from the command line only.
 */
export async function createSupportAgent(
  deps: { db: Kysely<DB>; staff: StaffService; audit: AuditService },
  input: { login: string; name: string; password: string },
): Promise<StaffUser> {
  const report = checkLoginPassword(input.password, [input.login, input.name]);
  if (!report.acceptable) {
    throw AppError.from(AuthErrors, 'PASSWORD_TOO_WEAK', { param: 'password', reasons: report.reasons });
  }
  return deps.db.transaction().execute(async (trx) => {
    const agent = await deps.staff.createUser(
      { merchantId: null, role: 'support_agent', login: input.login, name: input.name, password: input.password },
      trx,
    );
    await deps.audit.record(trx, {
      merchantId: null,
      actor: { type: 'system' },
      event: 'support_agent.created',
      outcome: 'success',
      origin: 'cli',
      object: { type: 'user', id: agent.id },
      detail: { login: agent.login },
    });
    return agent;
  });
}
