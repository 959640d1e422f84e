import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../access/index.js';
import { idempotencyOf } from '../idempotency/index.js';
import { operatorOf, terminalOf } from '../terminals/index.js';
import { AuthorizeRefundBody, CreateRefundBody, RefundSchema } from './refunds.schemas.js';
import type { RefundsService } from './refunds.service.js';

const RefundParams = z.object({ id: z.string().max(64) });
const RefundIdParams = z.object({ refund_id: z.string().max(64) });

/** The refund lifecycle of docs/api.md, and the back office's approve and deny. */
export function refundRoutes(deps: { refunds: RefundsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/refunds',
      {
        config: { auth: 'operator', idempotency: { route: 'POST /v1/refunds' } },
        schema: {
          tags: ['terminal'],
          summary: 'Start a refund (退货) or void (撤销); reserves the amount; requires Idempotency-Key',
          body: CreateRefundBody,
          response: { 201: RefundSchema },
        },
      },
      async (request, reply) => {
        const scope = idempotencyOf(request);
        const refund = await deps.refunds.createRefund(terminalOf(request), operatorOf(request), request.body, scope);
        return reply.code(201).send(refund);
      },
    );

    app.post(
      '/v1/refunds/:id/authorize',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['terminal'],
          summary: 'Authorize with the refund key and/or the one-time code',
          params: RefundParams,
          body: AuthorizeRefundBody,
          response: { 200: RefundSchema },
        },
      },
      async (request) => deps.refunds.authorize(terminalOf(request), request.params.id, request.body),
    );

    app.post(
      '/v1/refunds/:id/resend-code',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['terminal'],
          summary: 'Send a new one-time code (the old one stops working; at most 3 per refund)',
          params: RefundParams,
          response: { 200: RefundSchema },
        },
      },
      async (request) => deps.refunds.resendCode(terminalOf(request), request.params.id),
    );

    app.post(
      '/v1/refunds/:id/cancel',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['terminal'],
          summary: 'Cancel a waiting refund',
          params: RefundParams,
          response: { 200: RefundSchema },
        },
      },
      async (request) => deps.refunds.cancel(terminalOf(request), request.params.id),
    );

    app.get(
      '/v1/refunds/:id',
      {
        config: { auth: 'terminal' },
        schema: { tags: ['terminal'], summary: 'A refund', params: RefundParams, response: { 200: RefundSchema } },
      },
      async (request) => deps.refunds.getRefund(terminalOf(request), request.params.id),
    );

    // Back office: a second person's decision (maker-checker).
    app.post(
      '/v1/approvals/:refund_id/approve',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Approve a refund (never by its requester)',
          params: RefundIdParams,
          response: { 200: RefundSchema },
        },
      },
      async (request) => deps.refunds.approve(staffOf(request), request.params.refund_id),
    );

    app.post(
      '/v1/approvals/:refund_id/deny',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Deny a refund with a reason; it is canceled and its reservation released',
          params: RefundIdParams,
          body: z.strictObject({ reason: z.string().trim().min(1).max(200) }),
          response: { 200: RefundSchema },
        },
      },
      async (request) => deps.refunds.deny(staffOf(request), request.params.refund_id, request.body.reason),
    );
  };
}
