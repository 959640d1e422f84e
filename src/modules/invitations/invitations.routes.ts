import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { toIso } from '../../lib/clock.js';
import { IDLE_TIMEOUT, REAUTH_MAX_AGE } from '../auth/auth.service.js';
import { setSessionCookies } from '../auth/session-cookies.js';
import type { InvitationsService } from './invitations.service.js';

const AcceptBody = z.strictObject({
  token: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});

const SignedIn = z.object({
  status: z.literal('signed_in'),
  user: z.object({
    id: z.string(),
    merchant_id: z.string().nullable(),
    role: z.enum(['owner', 'manager', 'cashier', 'admin']),
    login: z.string(),
    name: z.string(),
    store_ids: z.array(z.string()).nullable(),
  }),
  csrf_token: z.string(),
  expires_at: z.string(),
  idle_timeout_s: z.number(),
  reauth_valid_until: z.string(),
});

/** POST /v1/auth/invitations/accept: set one's own first password with the invitation token; signed in as at login. */
export function invitationRoutes(deps: { invitations: InvitationsService; config: Config }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/auth/invitations/accept',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary: 'Accept an invitation: choose your own password; answers as POST /v1/auth/login',
          body: AcceptBody,
          response: { 200: SignedIn },
        },
      },
      async (request, reply) => {
        const issued = await deps.invitations.accept(request.body.token, request.body.password, request.ip);
        setSessionCookies(request, reply, deps.config.env, issued.token, issued.csrfToken);
        const { user } = issued;
        return {
          status: 'signed_in' as const,
          user: {
            id: user.id,
            merchant_id: user.merchantId,
            role: user.role,
            login: user.login,
            name: user.name,
            store_ids: user.storeIds,
          },
          csrf_token: issued.csrfToken,
          expires_at: toIso(issued.expiresAt),
          idle_timeout_s: IDLE_TIMEOUT / 1000,
          reauth_valid_until: toIso((issued.session.reauthAt ?? 0) + REAUTH_MAX_AGE),
        };
      },
    );
  };
}
