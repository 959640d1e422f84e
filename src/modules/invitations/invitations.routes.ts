import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { SignedInAnswer, setSessionCookies, signedInAnswer } from '../auth/index.js';
import type { InvitationsService } from './invitations.service.js';

const AcceptBody = z.strictObject({
  token: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
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
          summary:
            'Accept an invitation: choose your own password; answers as POST /v1/auth/login, with ' +
            'second_factor_enrolment_required true for an owner, manager or admin (enrol before anything else)',
          body: AcceptBody,
          response: { 200: SignedInAnswer },
        },
      },
      async (request, reply) => {
        const issued = await deps.invitations.accept(request.body.token, request.body.password, request.ip);
        setSessionCookies(request, reply, deps.config.env, issued.token, issued.csrfToken);
        // A new person has no second factor yet: an owner, manager or admin is told to enrol one first.
        return signedInAnswer(issued, false);
      },
    );
  };
}
