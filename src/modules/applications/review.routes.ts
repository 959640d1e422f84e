import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../access/index.js';
import type { StaffRole } from '../staff/index.js';
import { ApplicationView, applicationView } from './applications.schemas.js';
import type { ReviewService } from './review.service.js';

const ADMIN: { auth: 'staff'; roles: StaffRole[] } = { auth: 'staff', roles: ['admin'] };
const TAGS = ['applications'];
const Id = z.object({ id: z.string().min(1).max(64) });
const Status = z.enum(['submitted', 'needs_info', 'approved', 'rejected']);

/** The platform admin's review queue of merchant applications. */
export function reviewRoutes({ review }: { review: ReviewService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/applications',
      {
        config: ADMIN,
        schema: {
          tags: TAGS,
          summary: 'The review queue, newest first (100 at most)',
          querystring: z.strictObject({ status: Status.optional() }),
          response: { 200: z.object({ data: z.array(ApplicationView) }) },
        },
      },
      async (request) => ({
        data: (await review.list(request.query.status)).map((row) => applicationView(row, { reviewer: true })),
      }),
    );

    app.get(
      '/v1/applications/:id',
      {
        config: ADMIN,
        schema: { tags: TAGS, summary: 'One application', params: Id, response: { 200: ApplicationView } },
      },
      async (request) => applicationView(await review.get(request.params.id), { reviewer: true }),
    );

    app.post(
      '/v1/applications/:id/approve',
      {
        config: ADMIN,
        schema: {
          tags: TAGS,
          summary:
            'Approve: merchant, store, invited owner and terminals in one transaction; the activation codes go to the owner',
          params: Id,
          body: z.strictObject({
            rate_plan_id: z.string().min(1).max(64).optional(),
            owner_login: z.string().trim().min(3).max(254).optional(),
          }),
          response: {
            200: z.object({
              application: ApplicationView,
              merchant_id: z.string(),
              store_id: z.string(),
              owner: z.object({ id: z.string(), login: z.string(), invitation_sent_to: z.array(z.string()) }),
              terminals: z.array(z.object({ id: z.string(), name: z.string(), activation_expires_at: z.string() })),
              activation_codes_sent_to: z.array(z.string()),
            }),
          },
        },
      },
      async (request) => {
        const made = await review.approve(staffOf(request), request.params.id, {
          ratePlanId: request.body.rate_plan_id,
          ownerLogin: request.body.owner_login,
        });
        return {
          application: applicationView(made.row, { reviewer: true }),
          merchant_id: made.merchantId,
          store_id: made.storeId,
          owner: made.owner,
          terminals: made.terminals,
          activation_codes_sent_to: made.activationCodesSentTo,
        };
      },
    );

    app.post(
      '/v1/applications/:id/reject',
      {
        config: ADMIN,
        schema: {
          tags: TAGS,
          summary: 'Reject with a reason the applicant reads',
          params: Id,
          body: z.strictObject({ reason: z.string().trim().min(2).max(500) }),
          response: { 200: ApplicationView },
        },
      },
      async (request) =>
        applicationView(await review.reject(staffOf(request), request.params.id, request.body.reason), {
          reviewer: true,
        }),
    );

    app.post(
      '/v1/applications/:id/request-info',
      {
        config: ADMIN,
        schema: {
          tags: TAGS,
          summary: 'Ask the applicant for more information (they amend through the status link)',
          params: Id,
          body: z.strictObject({ message: z.string().trim().min(2).max(500) }),
          response: { 200: ApplicationView },
        },
      },
      async (request) =>
        applicationView(await review.requestInfo(staffOf(request), request.params.id, request.body.message), {
          reviewer: true,
        }),
    );
  };
}
