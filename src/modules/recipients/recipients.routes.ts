import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../access/index.js';
import type { RecipientsService } from './recipients.service.js';

const OWNER = { auth: 'staff' as const, roles: ['owner' as const] };
const IdParams = z.object({ id: z.string().min(1).max(64) });
const RecipientSchema = z.object({
  object: z.literal('notification_recipient'),
  id: z.string(),
  channel: z.enum(['sms', 'email']),
  address: z.string(),
  label: z.string(),
  status: z.enum(['pending', 'verified']),
  created_at: z.string(),
  verified_at: z.string().nullable(),
  code_expires_at: z.string().nullable().describe('When the code sent last stops working (pending only)'),
});
const NewRecipient = z.discriminatedUnion('channel', [
  z.strictObject({
    channel: z.literal('sms'),
    address: z.string().regex(/^\+?\d{6,20}$/, 'a phone number'),
    label: z.string().trim().min(1).max(60),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  }),
  z.strictObject({
    channel: z.literal('email'),
    address: z.email().max(254),
    label: z.string().trim().min(1).max(60),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  }),
]);

/** The merchant's notification recipients (通知接收人), owner only; changes need a fresh re-authentication. */
export function recipientRoutes(deps: { recipients: RecipientsService }): FastifyPluginAsyncZod {
  const { recipients } = deps;
  return async (app) => {
    app.get(
      '/v1/notification-recipients',
      {
        config: OWNER,
        schema: {
          tags: ['back office'],
          summary: 'Phones and e-mail addresses that receive approval requests and lockout alerts (owner)',
          response: { 200: z.object({ data: z.array(RecipientSchema) }) },
        },
      },
      async (request) => ({ data: await recipients.list(staffOf(request)) }),
    );

    app.post(
      '/v1/notification-recipients',
      {
        config: { ...OWNER, reauth: true },
        schema: {
          tags: ['back office'],
          summary:
            'Add a recipient: a 6-digit code goes to it (10 minutes); it is used once confirmed (re-authenticated)',
          body: NewRecipient,
          response: { 201: RecipientSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await recipients.add(staffOf(request), request.body)),
    );

    app.post(
      '/v1/notification-recipients/:id/confirm',
      {
        config: OWNER,
        schema: {
          tags: ['back office'],
          summary: 'Confirm a recipient with the code it received (5 wrong codes burn it)',
          params: IdParams,
          body: z.strictObject({ code: z.string().min(1).max(16) }),
          response: { 200: RecipientSchema },
        },
      },
      async (request) => recipients.confirm(staffOf(request), request.params.id, request.body.code),
    );

    app.post(
      '/v1/notification-recipients/:id/resend',
      {
        config: OWNER,
        schema: {
          tags: ['back office'],
          summary: 'Send a waiting recipient a new code; the old one stops working (at most 3 codes)',
          params: IdParams,
          body: z.strictObject({}).optional(),
          response: { 200: RecipientSchema },
        },
      },
      async (request) => recipients.resend(staffOf(request), request.params.id),
    );

    app.post(
      '/v1/notification-recipients/:id/remove',
      {
        config: { ...OWNER, reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Stop sending to a recipient (re-authenticated)',
          params: IdParams,
          body: z.strictObject({}).optional(),
        },
      },
      async (request, reply) => {
        await recipients.remove(staffOf(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
