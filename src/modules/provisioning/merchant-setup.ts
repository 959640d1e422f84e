// Merchants and their rate plans (开户、费率): a platform admin creates a merchant with its owner, who is invited, and
// gives it a rate plan; the owner and platform admins read which plan it is on.
import { AppError, CommonErrors } from '../../lib/errors.js';
import { assertMerchantInScope, type StaffSession } from '../auth/index.js';
import { findRatePlan, type NamedRatePlan, type RatePlan } from '../merchants/index.js';
import { ProvisioningErrors } from './provisioning.errors.js';
import {
  createInvited,
  type NewPerson,
  type ProvisioningContext,
  setupEvent,
  uniqueLogin,
} from './provisioning-context.js';

export interface MerchantView {
  id: string;
  object: 'merchant';
  name: string;
  status: string;
  rate_plan_id: string;
  rate_plan: RatePlan;
  owner: { id: string; login: string; name: string; status: string; invitation_sent_to: string[] };
}

/** A merchant, its owner (invited to set their own password) and its rate plan, in one transaction. */
export async function createMerchant(
  ctx: ProvisioningContext,
  session: StaffSession,
  input: { name: string; owner: NewPerson; ratePlanId?: string | undefined },
): Promise<MerchantView> {
  const plan = ratePlanNamed(input.ratePlanId ?? 'standard');
  return uniqueLogin(() =>
    ctx.db.transaction().execute(async (trx) => {
      const merchant = await ctx.merchants.createMerchant(
        { name: input.name, ratePlan: plan.fees, ratePlanId: plan.id },
        trx,
      );
      const { user: owner, sentTo } = await createInvited(ctx, trx, session, input.owner, {
        merchantId: merchant.id,
        merchantName: merchant.name,
        role: 'owner',
      });
      await ctx.audit.record(
        trx,
        setupEvent(
          session,
          merchant.id,
          'merchant.created',
          { type: 'merchant', id: merchant.id },
          { name: merchant.name, rate_plan_id: plan.id, owner_id: owner.id },
        ),
      );
      return {
        id: merchant.id,
        object: 'merchant' as const,
        name: merchant.name,
        status: merchant.status,
        rate_plan_id: plan.id,
        rate_plan: plan.fees,
        owner: { id: owner.id, login: owner.login, name: owner.name, status: owner.status, invitation_sent_to: sentTo },
      };
    }),
  );
}

/** Another rate plan for a merchant; settlements from now on use its fees. */
export async function assignRatePlan(
  ctx: ProvisioningContext,
  session: StaffSession,
  merchantId: string,
  ratePlanId: string,
): Promise<{ merchant_id: string; rate_plan_id: string; rate_plan: RatePlan }> {
  const merchant = await existingMerchant(ctx, merchantId);
  const plan = ratePlanNamed(ratePlanId);
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.merchants.assignRatePlan(trx, merchant.id, plan);
    await ctx.audit.record(
      trx,
      setupEvent(
        session,
        merchant.id,
        'merchant.rate_plan_assigned',
        { type: 'merchant', id: merchant.id },
        { from: merchant.ratePlanId, to: plan.id },
      ),
    );
  });
  return { merchant_id: merchant.id, rate_plan_id: plan.id, rate_plan: plan.fees };
}

/** A merchant's rate plan: its owner, or a platform admin; another merchant's is 404, as if absent. */
export async function ratePlanOf(ctx: ProvisioningContext, session: StaffSession, merchantId: string) {
  if (session.role !== 'admin') assertMerchantInScope(session, merchantId);
  const merchant = await existingMerchant(ctx, merchantId);
  const name = findRatePlan(merchant.ratePlanId)?.name ?? merchant.ratePlanId;
  return { merchant_id: merchant.id, rate_plan_id: merchant.ratePlanId, name, rate_plan: merchant.ratePlan };
}

/** The plan on offer with this id; another is 422 RATE_PLAN_UNKNOWN. */
function ratePlanNamed(id: string): NamedRatePlan {
  const plan = findRatePlan(id);
  if (!plan) throw AppError.from(ProvisioningErrors, 'RATE_PLAN_UNKNOWN', { param: 'rate_plan_id' });
  return plan;
}

async function existingMerchant(ctx: ProvisioningContext, merchantId: string) {
  const merchant = await ctx.merchants.findMerchant(merchantId);
  if (!merchant) throw AppError.from(CommonErrors, 'NOT_FOUND');
  return merchant;
}
