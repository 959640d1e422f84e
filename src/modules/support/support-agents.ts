import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditService } from '../audit/index.js';
import { createPlatformUser } from '../provisioning/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';

/**
 * `refundkey support-agent create --login L`: a support agent (客服) is platform-level like an admin (no merchant) and
 * enrols a second factor at the first sign-in (SECOND_FACTOR_REQUIRED). Created from the command line only, the same
 * way as an admin; a weak password is 422 PASSWORD_TOO_WEAK, a login taken 409 LOGIN_TAKEN.
 */
export function createSupportAgent(
  deps: { db: Kysely<DB>; staff: StaffService; audit: AuditService },
  input: { login: string; name: string; password: string },
): Promise<StaffUser> {
  return createPlatformUser(deps, { role: 'support_agent', event: 'support_agent.created' }, input);
}
