import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../access/index.js';
import type { TerminalsService } from '../terminals/index.js';
import type { ApprovalsService } from './approvals.service.js';
import type { LockoutsService } from './lockouts.service.js';
import type { RefundPoliciesService } from './policies.service.js';
import { RefundPolicySchema } from './refund-policy.js';

const IdParams = z.object({ id: z.string().max(64) });
const Windows = z.object({ bank_card: z.number(), qr: z.number(), order: z.number(), cash: z.number() });

const PolicyViewSchema = z.object({
  object: z.literal('refund_policy'),
  store_id: z.string(),
  policy: z.record(z.string(), z.unknown()),
  effective_windows_days: Windows,
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable(),
});

const ApprovalSchema = z.object({
  object: z.literal('approval'),
  refund_id: z.string(),
  sale_id: z.string(),
  store_id: z.string(),
  terminal_id: z.string(),
  amount: z.number(),
  currency: z.literal('CNY'),
  reason: z.string(),
  status: z.enum(['pending', 'approved', 'denied', 'closed']),
  requested_by_operator_id: z.string(),
  requested_at: z.string(),
  expires_at: z.string(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  decision_reason: z.string().nullable(),
});

/** Back-office routes of refund authorization: store policies, lock release, the approvals waiting. */
export function authorizationRoutes(deps: {
  policies: RefundPoliciesService;
  lockouts: LockoutsService;
  approvals: ApprovalsService;
  terminals: TerminalsService;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/stores/:id/refund-policy',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['back office'],
          summary: 'A store’s refund policy (退款策略)',
          params: IdParams,
          response: { 200: PolicyViewSchema },
        },
      },
      async (request) => deps.policies.get(staffOf(request), request.params.id),
    );

    // PUT for REST clients; POST as well, for forms and clients that only speak GET and POST.
    app.route({
      method: ['PUT', 'POST'],
      url: '/v1/stores/:id/refund-policy',
      config: { auth: 'staff', roles: ['owner'], reauth: true },
      schema: {
        tags: ['back office'],
        summary: 'Replace a store’s refund policy (owner, re-authenticated)',
        params: IdParams,
        body: RefundPolicySchema,
        response: { 200: PolicyViewSchema },
      },
      handler: async (request) => deps.policies.update(staffOf(request), request.params.id, request.body),
    });

    app.post(
      '/v1/merchants/:id/refund-lock/unlock',
      {
        config: { auth: 'staff', roles: ['owner'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'End the merchant-wide refund lock now (owner, re-authenticated)',
          params: IdParams,
          response: { 200: z.object({ merchant_id: z.string(), locked: z.literal(false) }) },
        },
      },
      async (request) => deps.lockouts.unlockMerchant(staffOf(request), request.params.id),
    );

    app.post(
      '/v1/terminals/:id/refund-lock/unlock',
      {
        config: { auth: 'staff', roles: ['owner'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'End a terminal’s refund lock now (owner, re-authenticated)',
          params: IdParams,
          response: { 200: z.object({ terminal_id: z.string(), locked: z.literal(false) }) },
        },
      },
      async (request) => deps.lockouts.unlockTerminal(staffOf(request), request.params.id),
    );

    app.route({
      method: ['PUT', 'POST'],
      url: '/v1/merchants/:id/refund-settings',
      config: { auth: 'staff', roles: ['owner'], reauth: true },
      schema: {
        tags: ['back office'],
        summary: 'Allow or refuse refunds of one store’s sales at other stores’ terminals (owner, re-authenticated)',
        params: IdParams,
        body: z.object({ cross_store_refunds: z.boolean() }).strict(),
        response: { 200: z.object({ merchant_id: z.string(), cross_store_refunds: z.boolean() }) },
      },
      handler: async (request) =>
        deps.policies.setCrossStore(staffOf(request), request.params.id, request.body.cross_store_refunds),
    });

    app.post(
      '/v1/terminals/:id/operator-lock/unlock',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'End a terminal’s operator sign-in locks now (owner, or manager of its store; re-authenticated)',
          params: IdParams,
          response: { 200: z.object({ terminal_id: z.string(), locked: z.literal(false) }) },
        },
      },
      async (request) => deps.terminals.unlockOperatorSignIn(staffOf(request), request.params.id),
    );

    app.get(
      '/v1/approvals',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['back office'],
          summary: 'Refunds waiting for approval (待审批)',
          response: { 200: z.object({ data: z.array(ApprovalSchema) }) },
        },
      },
      async (request) => ({ data: await deps.approvals.listPending(staffOf(request)) }),
    );
  };
}
