import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { staffOf } from '../access/index.js';
import type { SupportResetsService } from './support-resets.service.js';

const Key = z.string().min(1).max(256);
const CaseId = z.string().min(1).max(64);
const Token = z.string().min(1).max(128);

/**
 * The owner's end of an approved support case (客服重设): the reset code from the registered phone or e-mail. Nobody at
 * the support desk can call these usefully: the code reached only the owner.
 */
export function supportResetRoutes(services: { supportResets: SupportResetsService }): FastifyPluginAsyncZod {
  const { supportResets } = services;
  return async (app) => {
    app.post(
      '/v1/support/resets/account',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['support'],
          summary: 'Owner: with the reset code, set a new password (every second factor is removed; enrol a new one)',
          body: z.strictObject({
            case_id: CaseId.optional(),
            token: Token,
            new_password: z.string().min(1).max(256),
            new_phone: z
              .string()
              .regex(/^\+?[0-9]{6,20}$/)
              .optional(),
          }),
          response: {
            200: z.object({
              status: z.literal('reset'),
              second_factor_enrolment_required: z.literal(true),
              phone_effective_at: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const b = request.body;
        const done = await supportResets.resetAccount(
          { caseId: b.case_id, token: b.token, newPassword: b.new_password, newPhone: b.new_phone },
          request.ip,
        );
        return {
          status: 'reset' as const,
          second_factor_enrolment_required: true as const,
          phone_effective_at: done.phoneEffectiveAt === null ? null : toIso(done.phoneEffectiveAt),
        };
      },
    );

    app.post(
      '/v1/support/resets/refund-key',
      {
        config: { auth: 'staff', roles: ['owner'], reauth: true },
        schema: {
          tags: ['support'],
          summary: 'Owner (forgotten-key case): with the reset code, set a new refund key; the old one stops at once',
          body: z.strictObject({
            case_id: CaseId.optional(),
            token: Token,
            store_id: z.string().min(1).max(64).optional(),
            policy: z.enum(['password', 'pin']).optional(),
            new_key: Key,
            confirm_key: Key,
          }),
          response: {
            200: z.object({
              scope: z.enum(['merchant', 'store']),
              store_id: z.string().nullable(),
              set: z.boolean(),
              policy: z.enum(['password', 'pin']),
              set_at: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const b = request.body;
        const state = await supportResets.resetRefundKey(staffOf(request), {
          caseId: b.case_id,
          token: b.token,
          storeId: b.store_id,
          policy: b.policy,
          newKey: b.new_key,
          confirmKey: b.confirm_key,
        });
        return {
          scope: state.scope,
          store_id: state.storeId,
          set: state.set,
          policy: state.policy,
          set_at: state.setAt === null ? null : toIso(state.setAt),
        };
      },
    );
  };
}
