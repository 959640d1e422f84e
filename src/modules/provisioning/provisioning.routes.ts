import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/index.js';
import {
  CreateMerchantBody,
  IdParams,
  MerchantRatePlanView,
  MerchantView,
  RatePlanView,
  StoreView,
  TerminalListItem,
  TerminalView,
} from './provisioning.schemas.js';
import type { ProvisioningService } from './provisioning.service.js';

/** Platform admin: merchants and rate plans. Owner and managers: stores and terminals (开户、门店、终端). */
export function provisioningRoutes(deps: { provisioning: ProvisioningService }): FastifyPluginAsyncZod {
  const { provisioning } = deps;
  return async (app) => {
    app.post(
      '/v1/merchants',
      {
        config: { auth: 'staff', roles: ['admin'] },
        schema: {
          tags: ['provisioning'],
          summary: 'Create a merchant with its owner (invited by SMS/e-mail) and rate plan (platform admin)',
          body: CreateMerchantBody,
          response: { 201: MerchantView },
        },
      },
      async (request, reply) => {
        const { name, owner, rate_plan_id } = request.body;
        const merchant = await provisioning.createMerchant(staffOf(request), {
          name,
          owner,
          ratePlanId: rate_plan_id,
        });
        return reply.code(201).send(merchant);
      },
    );

    app.get(
      '/v1/rate-plans',
      {
        config: { auth: 'staff', roles: ['admin', 'owner'] },
        schema: {
          tags: ['provisioning'],
          summary: 'The rate plans on offer (费率): fees per payment method',
          response: {
            200: z.object({ data: z.array(z.object({ id: z.string(), name: z.string(), fees: RatePlanView })) }),
          },
        },
      },
      async () => ({ data: [...provisioning.ratePlans()] }),
    );

    app.post(
      '/v1/merchants/:id/rate-plan',
      {
        config: { auth: 'staff', roles: ['admin'] },
        schema: {
          tags: ['provisioning'],
          summary: 'Assign a rate plan to a merchant (platform admin); settlements use its fees',
          params: IdParams,
          body: z.strictObject({ rate_plan_id: z.string().min(1).max(64) }),
          response: {
            200: z.object({ merchant_id: z.string(), rate_plan_id: z.string(), rate_plan: RatePlanView }),
          },
        },
      },
      async (request) => provisioning.assignRatePlan(staffOf(request), request.params.id, request.body.rate_plan_id),
    );

    app.get(
      '/v1/merchants/:id/rate-plan',
      {
        config: { auth: 'staff', roles: ['admin', 'owner'] },
        schema: {
          tags: ['provisioning'],
          summary: 'A merchant’s rate plan (费率): its owner, or a platform admin',
          params: IdParams,
          response: { 200: MerchantRatePlanView },
        },
      },
      async (request) => provisioning.ratePlanOf(staffOf(request), request.params.id),
    );

    app.post(
      '/v1/stores',
      {
        config: { auth: 'staff', roles: ['owner'] },
        schema: {
          tags: ['provisioning'],
          summary: 'Open a store (owner)',
          body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
          response: { 201: StoreView },
        },
      },
      async (request, reply) => reply.code(201).send(await provisioning.createStore(staffOf(request), request.body)),
    );

    app.get(
      '/v1/stores',
      {
        config: { auth: 'staff', roles: ['owner', 'manager', 'cashier'] },
        schema: {
          tags: ['provisioning'],
          summary: 'The stores you work in',
          response: { 200: z.object({ data: z.array(StoreView) }) },
        },
      },
      async (request) => ({ data: await provisioning.listStores(staffOf(request)) }),
    );

    app.post(
      '/v1/stores/:id/terminals',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'Register a terminal; its single-use activation code (7 days) is in the answer, once',
          params: IdParams,
          body: z.strictObject({ name: z.string().trim().min(1).max(100).optional() }).nullish(),
          response: { 201: TerminalView },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await provisioning.createTerminal(staffOf(request), request.params.id, { name: request.body?.name })),
    );

    app.get(
      '/v1/stores/:id/terminals',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'The terminals of a store, oldest first, retired ones too (never a key or an activation code)',
          params: IdParams,
          response: { 200: z.object({ data: z.array(TerminalListItem) }) },
        },
      },
      async (request) => ({ data: await provisioning.listTerminals(staffOf(request), request.params.id) }),
    );

    app.post(
      '/v1/terminals/:id/activation-code',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'A fresh activation code for a terminal (the previous code stops working)',
          params: IdParams,
          response: { 200: TerminalView },
        },
      },
      async (request) => provisioning.reissueActivationCode(staffOf(request), request.params.id),
    );

    app.post(
      '/v1/terminals/:id/retire',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'], reauth: true },
        schema: {
          tags: ['provisioning'],
          summary: 'Retire a terminal for good: its key stops working at once (re-authenticated)',
          params: IdParams,
          response: { 200: TerminalView },
        },
      },
      async (request) => provisioning.retireTerminal(staffOf(request), request.params.id),
    );
  };
}
