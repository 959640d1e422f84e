import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { checkLoginPassword } from '../../lib/secret-strength.js';
import type { AuditEvent, AuditService } from '../audit/index.js';
import { AuthErrors, assertMerchantInScope, assertStoreInScope, type StaffSession } from '../auth/index.js';
import type { InvitationsService } from '../invitations/index.js';
import {
  findRatePlan,
  type MerchantsService,
  type NamedRatePlan,
  RATE_PLANS,
  type RatePlan,
} from '../merchants/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import type { TerminalsService } from '../terminals/index.js';
import { ProvisioningErrors } from './provisioning.errors.js';

export interface NewPerson {
  login: string;
  name: string;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  locale?: 'zh-CN' | 'en' | undefined;
}

export interface MerchantView {
  id: string;
  object: 'merchant';
  name: string;
  status: string;
  rate_plan_id: string;
  rate_plan: RatePlan;
  owner: { id: string; login: string; name: string; status: string; invitation_sent_to: string[] };
}

export interface StoreView {
  id: string;
  object: 'store';
  merchant_id: string;
  name: string;
}

export interface TerminalView {
  id: string;
  object: 'terminal';
  store_id: string;
  name: string;
  status: string;
  activation_code?: string;
  activation_expires_at?: string;
}

/** A terminal in the back office's list: when it was made and activated, and until when a waiting code works. */
export type TerminalListItem = Omit<TerminalView, 'activation_code' | 'activation_expires_at'> & {
  created_at: string;
  activated_at: string | null;
  activation_expires_at: string | null;
};

/**
 * Setting up a real merchant (开户): a platform admin creates the merchant with its owner (who is invited) and rate
 * plan; the owner creates stores; the owner or a manager of the store creates, re-codes and retires terminals.
 * Every change is audited in its own transaction.
 */
export class ProvisioningService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly merchants: MerchantsService,
    private readonly staff: StaffService,
    private readonly terminals: TerminalsService,
    private readonly invitations: InvitationsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A platform admin (`refundkey admin create`): login password by the strength rules, audited. Admins must enrol a
   * second factor (SECOND_FACTOR_REQUIRED in staff.table.ts), enforced with the second-factor work.
   */
  async createPlatformAdmin(input: { login: string; name: string; password: string }): Promise<StaffUser> {
    const report = checkLoginPassword(input.password, [input.login, input.name]);
    if (!report.acceptable) {
      throw AppError.from(AuthErrors, 'PASSWORD_TOO_WEAK', { param: 'password', reasons: report.reasons });
    }
    return uniqueLogin(() =>
      this.db.transaction().execute(async (trx) => {
        const admin = await this.staff.createUser(
          { merchantId: null, role: 'admin', login: input.login, name: input.name, password: input.password },
          trx,
        );
        await this.audit.record(trx, {
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

  /** The rate plans on offer. */
  ratePlans(): readonly NamedRatePlan[] {
    return RATE_PLANS;
  }

  /** A platform admin creates a merchant, its owner (invited to set their own password) and its rate plan. */
  async createMerchant(
    session: StaffSession,
    input: { name: string; owner: NewPerson; ratePlanId?: string | undefined },
  ): Promise<MerchantView> {
    const plan = findRatePlan(input.ratePlanId ?? 'standard');
    if (!plan) throw AppError.from(ProvisioningErrors, 'RATE_PLAN_UNKNOWN', { param: 'rate_plan_id' });
    return uniqueLogin(() =>
      this.db.transaction().execute(async (trx) => {
        const merchant = await this.merchants.createMerchant(
          { name: input.name, ratePlan: plan.fees, ratePlanId: plan.id },
          trx,
        );
        const owner = await this.staff.createUser(
          {
            merchantId: merchant.id,
            role: 'owner',
            login: input.owner.login,
            name: input.owner.name,
            phone: input.owner.phone ?? null,
            email: input.owner.email ?? null,
            ...(input.owner.locale ? { locale: input.owner.locale } : {}),
          },
          trx,
        );
        const { sentTo } = await this.invitations.invite(trx, owner, merchant.name, {
          userId: session.userId,
          ip: session.ip,
        });
        await this.audit.record(
          trx,
          this.event(
            session,
            merchant.id,
            'merchant.created',
            { type: 'merchant', id: merchant.id },
            {
              name: merchant.name,
              rate_plan_id: plan.id,
              owner_id: owner.id,
            },
          ),
        );
        return {
          id: merchant.id,
          object: 'merchant' as const,
          name: merchant.name,
          status: merchant.status,
          rate_plan_id: plan.id,
          rate_plan: plan.fees,
          owner: {
            id: owner.id,
            login: owner.login,
            name: owner.name,
            status: owner.status,
            invitation_sent_to: sentTo,
          },
        };
      }),
    );
  }

  /** A platform admin gives a merchant another rate plan; settlements from now on use its fees. */
  async assignRatePlan(
    session: StaffSession,
    merchantId: string,
    ratePlanId: string,
  ): Promise<{ merchant_id: string; rate_plan_id: string; rate_plan: RatePlan }> {
    const merchant = await this.merchants.findMerchant(merchantId);
    if (!merchant) throw AppError.from(CommonErrors, 'NOT_FOUND');
    const plan = findRatePlan(ratePlanId);
    if (!plan) throw AppError.from(ProvisioningErrors, 'RATE_PLAN_UNKNOWN', { param: 'rate_plan_id' });
    await this.db.transaction().execute(async (trx) => {
      await this.merchants.assignRatePlan(trx, merchant.id, plan);
      await this.audit.record(
        trx,
        this.event(
          session,
          merchant.id,
          'merchant.rate_plan_assigned',
          { type: 'merchant', id: merchant.id },
          {
            from: merchant.ratePlanId,
            to: plan.id,
          },
        ),
      );
    });
    return { merchant_id: merchant.id, rate_plan_id: plan.id, rate_plan: plan.fees };
  }

  /** The owner opens a store of their merchant. */
  async createStore(session: StaffSession, input: { name: string }): Promise<StoreView> {
    const merchantId = merchantOf(session);
    return this.db.transaction().execute(async (trx) => {
      const store = await this.merchants.createStore(merchantId, { name: input.name }, trx);
      await this.audit.record(
        trx,
        this.event(session, merchantId, 'store.created', { type: 'store', id: store.id }, { name: store.name }),
      );
      return { id: store.id, object: 'store' as const, merchant_id: merchantId, name: store.name };
    });
  }

  /** The stores the session may act on. */
  async listStores(session: StaffSession): Promise<StoreView[]> {
    const merchantId = merchantOf(session);
    return (await this.merchants.storesOf(merchantId))
      .filter((s) => session.storeIds === null || session.storeIds.includes(s.id))
      .map((s) => ({ id: s.id, object: 'store' as const, merchant_id: merchantId, name: s.name }));
  }

  /** The terminals of a store in the session's scope (never a key or an activation code). */
  async listTerminals(session: StaffSession, storeId: string): Promise<TerminalListItem[]> {
    const store = await this.merchants.findStore(storeId);
    if (!store) throw AppError.from(CommonErrors, 'NOT_FOUND');
    assertStoreInScope(session, store);
    return (await this.terminals.terminalsOfStore(store.id)).map((t) => ({
      ...terminalView(t),
      created_at: toIso(t.createdAt),
      activated_at: t.activatedAt === null ? null : toIso(t.activatedAt),
      activation_expires_at: t.activationExpiresAt === null ? null : toIso(t.activationExpiresAt),
    }));
  }

  /** A merchant's rate plan: its owner, or a platform admin; another merchant's is 404, as if absent. */
  async ratePlanOf(session: StaffSession, merchantId: string) {
    if (session.role !== 'admin') assertMerchantInScope(session, merchantId);
    const merchant = await this.merchants.findMerchant(merchantId);
    if (!merchant) throw AppError.from(CommonErrors, 'NOT_FOUND');
    const name = findRatePlan(merchant.ratePlanId)?.name ?? merchant.ratePlanId;
    return { merchant_id: merchant.id, rate_plan_id: merchant.ratePlanId, name, rate_plan: merchant.ratePlan };
  }

  /** A terminal for a store in the session's scope, with its single-use activation code (shown once). */
  async createTerminal(session: StaffSession, storeId: string, input: { name?: string | undefined }) {
    const store = await this.merchants.findStore(storeId);
    if (!store) throw AppError.from(CommonErrors, 'NOT_FOUND');
    assertStoreInScope(session, store);
    const name = input.name ?? 'POS';
    return this.db.transaction().execute(async (trx): Promise<TerminalView> => {
      const made = await this.terminals.createTerminal({ merchantId: store.merchantId, storeId: store.id, name }, trx);
      await this.audit.record(
        trx,
        this.event(
          session,
          store.merchantId,
          'terminal.created',
          { type: 'terminal', id: made.terminalId },
          {
            store_id: store.id,
            name,
          },
        ),
      );
      return {
        id: made.terminalId,
        object: 'terminal',
        store_id: store.id,
        name,
        status: 'pending',
        activation_code: made.activationCode,
        activation_expires_at: toIso(made.activationExpiresAt),
      };
    });
  }

  /** A fresh activation code for a terminal (the previous one stops working). */
  async reissueActivationCode(session: StaffSession, terminalId: string): Promise<TerminalView> {
    const terminal = await this.terminalInScope(session, terminalId);
    return this.db.transaction().execute(async (trx): Promise<TerminalView> => {
      const code = await this.terminals.reissueActivationCode(terminal.id, trx);
      await this.audit.record(
        trx,
        this.event(session, terminal.merchantId, 'terminal.activation_code_reissued', {
          type: 'terminal',
          id: terminal.id,
        }),
      );
      return { ...terminalView(terminal), activation_code: code };
    });
  }

  /** Retire a terminal for good: its key stops working at once. */
  async retireTerminal(session: StaffSession, terminalId: string): Promise<TerminalView> {
    const terminal = await this.terminalInScope(session, terminalId);
    await this.db.transaction().execute(async (trx) => {
      await this.terminals.retire(terminal.id, trx);
      await this.audit.record(
        trx,
        this.event(
          session,
          terminal.merchantId,
          'terminal.retired',
          { type: 'terminal', id: terminal.id },
          {
            was: terminal.status,
          },
        ),
      );
    });
    return { ...terminalView(terminal), status: 'retired' };
  }

  private async terminalInScope(session: StaffSession, terminalId: string) {
    const terminal = await this.terminals.describe(terminalId);
    if (!terminal) throw AppError.from(CommonErrors, 'NOT_FOUND');
    assertStoreInScope(session, { id: terminal.storeId, merchantId: terminal.merchantId });
    return terminal;
  }

  private event(
    session: StaffSession,
    merchantId: string,
    event: string,
    object: { type: string; id: string },
    detail: Record<string, unknown> = {},
  ): AuditEvent {
    return {
      merchantId,
      actor: { type: 'user', id: session.userId },
      event,
      outcome: 'success',
      origin: session.ip,
      object,
      detail,
    };
  }
}

function terminalView(t: { id: string; storeId: string; name: string; status: string }): TerminalView {
  return { id: t.id, object: 'terminal', store_id: t.storeId, name: t.name, status: t.status };
}

/** The merchant of a merchant-staff session (a platform admin has none: 403). */
export function merchantOf(session: StaffSession): string {
  if (!session.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
  return session.merchantId;
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
