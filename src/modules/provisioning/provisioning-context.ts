// What the set-up parts (platform admins, merchants and rate plans, stores, terminals) stand on: ProvisioningService
// builds it once and hands it to each of them; and the rules of scope and of new logins every set-up service shares.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import type { DB, Executor } from '../../db/schema.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { type AuditEvent, type AuditService, staffEvent } from '../audit/index.js';
import { assertStoreInScope, type StaffSession } from '../auth/index.js';
import type { InvitationsService } from '../invitations/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { StaffRole, StaffService, StaffUser } from '../staff/index.js';
import type { TerminalsService } from '../terminals/index.js';
import { ProvisioningErrors } from './provisioning.errors.js';

/** The database and the services setting up a merchant goes through. */
export interface ProvisioningContext {
  db: Kysely<DB>;
  merchants: MerchantsService;
  staff: StaffService;
  terminals: TerminalsService;
  invitations: InvitationsService;
  audit: AuditService;
}

/** A person to create and invite: the owner of a new merchant, or a staff member. */
export interface NewPerson {
  login: string;
  name: string;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  locale?: 'zh-CN' | 'en' | undefined;
}

/**
 * Create a person in the caller's transaction, placed in a merchant with a role, and invite them (SMS and e-mail) to
 * set their own password; returns where the invitation went.
 */
export async function createInvited(
  ctx: Pick<ProvisioningContext, 'staff' | 'invitations'>,
  trx: Executor,
  session: StaffSession,
  person: NewPerson,
  placed: { merchantId: string; merchantName: string; role: StaffRole; storeIds?: string[] | null },
): Promise<{ user: StaffUser; sentTo: string[] }> {
  const { merchantName, ...place } = placed;
  const user = await ctx.staff.createUser(
    {
      ...place,
      login: person.login,
      name: person.name,
      phone: person.phone ?? null,
      email: person.email ?? null,
      ...(person.locale ? { locale: person.locale } : {}),
    },
    trx,
  );
  const { sentTo } = await ctx.invitations.invite(trx, user, merchantName, { userId: session.userId, ip: session.ip });
  return { user, sentTo };
}

/** The merchant of a merchant-staff session (a platform admin has none: 403). */
export function merchantOf(session: StaffSession): string {
  if (!session.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
  return session.merchantId;
}

/** A store the session may act on; absent or another merchant's is 404 (`param` names the field that gave its id). */
export async function storeInScope(
  merchants: MerchantsService,
  session: StaffSession,
  storeId: string,
  param?: string,
) {
  const store = await merchants.findStore(storeId);
  if (!store) throw AppError.from(CommonErrors, 'NOT_FOUND', param === undefined ? {} : { param });
  assertStoreInScope(session, store);
  return store;
}

/** Run a write that creates a user; a login id taken meanwhile (unique index) is 409 LOGIN_TAKEN. */
export async function uniqueLogin<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw AppError.from(ProvisioningErrors, 'LOGIN_TAKEN', { param: 'login' });
    throw error;
  }
}

/** The audit event of a set-up step: the session's person acting on `object` of the merchant being set up. */
export function setupEvent(
  session: StaffSession,
  merchantId: string,
  event: string,
  object: { type: string; id: string },
  detail: Record<string, unknown> = {},
): AuditEvent {
  return staffEvent(session, event, { merchantId, object, detail });
}
