import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { AuditEvent, AuditService } from '../audit/index.js';
import { type AuthService, assertStoreInScope, hasMerchantWideScope, type StaffSession } from '../auth/index.js';
import type { InvitationsService } from '../invitations/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { StaffRole, StaffService, StaffUser } from '../staff/index.js';
import { ProvisioningErrors } from './provisioning.errors.js';
import { createInvited, merchantOf, type NewPerson, uniqueLogin } from './provisioning-context.js';

export interface StaffView {
  id: string;
  object: 'staff';
  login: string;
  name: string;
  role: StaffRole;
  phone: string | null;
  email: string | null;
  store_ids: string[] | null;
  status: StaffUser['status'];
}

/**
 * Staff management (员工管理): the owner manages everyone of the merchant; a manager manages cashiers of their own
 * stores. New people are invited to set their own password; disabling someone ends their sessions, revokes their
 * invitation and disables their operator numbers. Nobody sets or sees another person's password.
 */
export class StaffAdminService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly merchants: MerchantsService,
    private readonly staff: StaffService,
    private readonly invitations: InvitationsService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  /** Create a staff member of the session's merchant and invite them (SMS and e-mail). */
  async createStaff(
    session: StaffSession,
    input: NewPerson & { role: Exclude<StaffRole, 'admin'>; storeIds?: string[] | null | undefined },
  ): Promise<StaffView & { invitation_sent_to: string[] }> {
    const merchantId = merchantOf(session);
    if (session.role !== 'owner' && input.role !== 'cashier')
      throw AppError.from(ProvisioningErrors, 'ROLE_NOT_ALLOWED', { param: 'role' });
    const storeIds = await this.checkStoreScope(session, input.role, input.storeIds ?? null);
    const merchant = await this.merchants.getMerchant(merchantId);
    return uniqueLogin(() =>
      this.db.transaction().execute(async (trx) => {
        const { user, sentTo } = await createInvited(
          { staff: this.staff, invitations: this.invitations },
          trx,
          session,
          input,
          { merchantId, merchantName: merchant.name, role: input.role, storeIds },
        );
        await this.audit.record(
          trx,
          this.event(session, user, 'staff.created', { role: user.role, store_ids: storeIds }),
        );
        return { ...staffView(user), invitation_sent_to: sentTo };
      }),
    );
  }

  /** Staff of the merchant the session may manage (a manager: the cashiers of their stores). */
  async listStaff(session: StaffSession): Promise<StaffView[]> {
    const users = await this.staff.usersOfMerchant(merchantOf(session));
    return users.filter((u) => session.role === 'owner' || mayManage(session, u)).map(staffView);
  }

  /** Disable a person: sessions ended, invitation revoked, operator numbers disabled. Disabling twice changes nothing. */
  async disable(session: StaffSession, staffId: string): Promise<StaffView> {
    const user = await this.manageable(session, staffId);
    if (user.id === session.userId) throw AppError.from(ProvisioningErrors, 'CANNOT_DISABLE_SELF');
    if (user.status === 'disabled') return staffView(user);
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.staff.setStatus(trx, user.id, 'disabled', ['invited', 'active']))) return;
      const operators = await this.staff.setOperatorsStatusOfStaff(trx, user.id, 'disabled');
      await this.invitations.revokeFor(trx, user.id);
      await this.auth.endAllSessions(user.id, 'staff_disabled', trx);
      await this.audit.record(trx, this.event(session, user, 'staff.disabled', { operators_disabled: operators }));
    });
    return this.view(user.id);
  }

  /** Enable a disabled person again (and their operator numbers); one who never accepted must be invited again. */
  async enable(session: StaffSession, staffId: string): Promise<StaffView> {
    const user = await this.manageable(session, staffId);
    if (user.status !== 'disabled') return staffView(user);
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.staff.enable(trx, user.id))) return;
      const operators = await this.staff.setOperatorsStatusOfStaff(trx, user.id, 'active');
      await this.audit.record(trx, this.event(session, user, 'staff.enabled', { operators_enabled: operators }));
    });
    return this.view(user.id);
  }

  /** Send a new invitation to someone who has not accepted yet; the earlier one stops working. */
  async reinvite(session: StaffSession, staffId: string): Promise<{ id: string; invitation_sent_to: string[] }> {
    const user = await this.manageable(session, staffId);
    if (user.status === 'disabled') throw AppError.from(ProvisioningErrors, 'STAFF_DISABLED');
    if (user.status !== 'invited') throw AppError.from(ProvisioningErrors, 'STAFF_NOT_INVITED');
    const merchant = await this.merchants.getMerchant(merchantOf(session));
    const { sentTo } = await this.db
      .transaction()
      .execute((trx) => this.invitations.invite(trx, user, merchant.name, { userId: session.userId, ip: session.ip }));
    return { id: user.id, invitation_sent_to: sentTo };
  }

  /** A staff member of the session's merchant that the session may manage; 404 for others (as if absent). */
  async manageable(session: StaffSession, staffId: string): Promise<StaffUser> {
    const user = await this.staff.getUser(staffId);
    if (!user || user.merchantId === null || user.merchantId !== session.merchantId)
      throw AppError.from(CommonErrors, 'NOT_FOUND');
    if (session.role !== 'owner' && !mayManage(session, user))
      throw AppError.from(ProvisioningErrors, 'ROLE_NOT_ALLOWED');
    return user;
  }

  /**
   * The store scope of a new person: an owner works everywhere (null); a manager or cashier in the stores given, all of
   * them the merchant's and within the session's own scope; null (every store) only from someone merchant-wide.
   */
  private async checkStoreScope(
    session: StaffSession,
    role: StaffRole,
    storeIds: string[] | null,
  ): Promise<string[] | null> {
    if (role === 'owner') {
      if (storeIds !== null && storeIds.length > 0)
        throw AppError.from(ProvisioningErrors, 'STAFF_STORES_INVALID', { param: 'store_ids' });
      return null;
    }
    if (storeIds === null || storeIds.length === 0) {
      if (!hasMerchantWideScope(session))
        throw AppError.from(ProvisioningErrors, 'STAFF_STORES_INVALID', { param: 'store_ids' });
      return null;
    }
    const unique = [...new Set(storeIds)];
    for (const id of unique) {
      const store = await this.merchants.findStore(id);
      if (!store) throw AppError.from(CommonErrors, 'NOT_FOUND', { param: 'store_ids' });
      assertStoreInScope(session, store);
    }
    return unique;
  }

  private async view(id: string): Promise<StaffView> {
    const user = await this.staff.getUser(id);
    if (!user) throw AppError.from(CommonErrors, 'NOT_FOUND');
    return staffView(user);
  }

  private event(session: StaffSession, user: StaffUser, event: string, detail: Record<string, unknown>): AuditEvent {
    return {
      merchantId: user.merchantId,
      actor: { type: 'user', id: session.userId },
      event,
      outcome: 'success',
      origin: session.ip,
      object: { type: 'user', id: user.id },
      detail,
    };
  }
}

/** A manager manages cashiers whose stores all lie within the manager's own. */
function mayManage(session: StaffSession, user: StaffUser): boolean {
  if (user.role !== 'cashier') return false;
  const mine = session.storeIds;
  if (mine === null) return true;
  return user.storeIds?.every((id) => mine.includes(id)) ?? false;
}

export function staffView(user: StaffUser): StaffView {
  return {
    id: user.id,
    object: 'staff',
    login: user.login,
    name: user.name,
    role: user.role,
    phone: user.phone,
    email: user.email,
    store_ids: user.storeIds,
    status: user.status,
  };
}
