import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditService } from '../audit/index.js';
import type { StaffSession } from '../auth/index.js';
import type { InvitationsService } from '../invitations/index.js';
import { type MerchantsService, type NamedRatePlan, RATE_PLANS, type RatePlan } from '../merchants/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import type { TerminalsService } from '../terminals/index.js';
import * as merchantSetup from './merchant-setup.js';
import { createPlatformAdmin } from './platform-admins.js';
import type { NewPerson, ProvisioningContext } from './provisioning-context.js';
import * as storeSetup from './store-setup.js';
import * as terminalSetup from './terminal-setup.js';

/**
 * Setting up a real merchant (开户): a platform admin creates the merchant with its owner (who is invited) and rate
 * plan; the owner creates stores; the owner or a manager of the store creates, re-codes and retires terminals.
 * Every change is audited in its own transaction. This class is what the rest of the app holds; it hands each step to
 * the file that owns it: platform admins (platform-admins.ts), merchants and rate plans (merchant-setup.ts), stores
 * (store-setup.ts), terminals (terminal-setup.ts).
 */
export class ProvisioningService {
  private readonly ctx: ProvisioningContext;

  constructor(
    db: Kysely<DB>,
    merchants: MerchantsService,
    staff: StaffService,
    terminals: TerminalsService,
    invitations: InvitationsService,
    audit: AuditService,
  ) {
    this.ctx = { db, merchants, staff, terminals, invitations, audit };
  }

  /**
   * A platform admin (`refundkey admin create`): login password by the strength rules, audited. Admins must enrol a
   * second factor (SECOND_FACTOR_REQUIRED in staff.table.ts), enforced with the second-factor work.
   */
  createPlatformAdmin(input: { login: string; name: string; password: string }): Promise<StaffUser> {
    return createPlatformAdmin(this.ctx, input);
  }

  /** The rate plans on offer. */
  ratePlans(): readonly NamedRatePlan[] {
    return RATE_PLANS;
  }

  /** A platform admin creates a merchant, its owner (invited to set their own password) and its rate plan. */
  createMerchant(
    session: StaffSession,
    input: { name: string; owner: NewPerson; ratePlanId?: string | undefined },
  ): Promise<merchantSetup.MerchantView> {
    return merchantSetup.createMerchant(this.ctx, session, input);
  }

  /** A platform admin gives a merchant another rate plan; settlements from now on use its fees. */
  assignRatePlan(
    session: StaffSession,
    merchantId: string,
    ratePlanId: string,
  ): Promise<{ merchant_id: string; rate_plan_id: string; rate_plan: RatePlan }> {
    return merchantSetup.assignRatePlan(this.ctx, session, merchantId, ratePlanId);
  }

  /** A merchant's rate plan: its owner, or a platform admin; another merchant's is 404, as if absent. */
  ratePlanOf(session: StaffSession, merchantId: string) {
    return merchantSetup.ratePlanOf(this.ctx, session, merchantId);
  }

  /** The owner opens a store of their merchant. */
  createStore(session: StaffSession, input: { name: string }): Promise<storeSetup.StoreView> {
    return storeSetup.createStore(this.ctx, session, input);
  }

  /** The stores the session may act on. */
  listStores(session: StaffSession): Promise<storeSetup.StoreView[]> {
    return storeSetup.listStores(this.ctx, session);
  }

  /** The terminals of a store in the session's scope (never a key or an activation code). */
  listTerminals(session: StaffSession, storeId: string): Promise<terminalSetup.TerminalListItem[]> {
    return terminalSetup.listTerminals(this.ctx, session, storeId);
  }

  /** A terminal for a store in the session's scope, with its single-use activation code (shown once). */
  createTerminal(
    session: StaffSession,
    storeId: string,
    input: { name?: string | undefined },
  ): Promise<terminalSetup.TerminalView> {
    return terminalSetup.createTerminal(this.ctx, session, storeId, input);
  }

  /** A fresh activation code for a terminal (the previous one stops working). */
  reissueActivationCode(session: StaffSession, terminalId: string): Promise<terminalSetup.TerminalView> {
    return terminalSetup.reissueActivationCode(this.ctx, session, terminalId);
  }

  /** Retire a terminal for good: its key stops working at once. */
  retireTerminal(session: StaffSession, terminalId: string): Promise<terminalSetup.TerminalView> {
    return terminalSetup.retireTerminal(this.ctx, session, terminalId);
  }
}
