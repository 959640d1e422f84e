import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { toIso } from '../../lib/clock.js';
import { type StaffSession, staffOf } from '../access/index.js';
import {
  type AuthenticationResponseBody,
  type AuthService,
  CreationOptionsAnswer,
  PENDING_LOGIN_COOKIE,
  RegistrationResponseBody,
  RequestOptionsAnswer,
} from '../auth/index.js';
import type { PasskeyService, PasskeyView } from './passkey.service.js';
import { relyingPartyOf } from './relying-party.js';

const Empty = z.strictObject({}).optional();
const PasskeyAnswer = z.object({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});

function passkeyAnswer(p: PasskeyView): z.infer<typeof PasskeyAnswer> {
  return {
    id: p.id,
    name: p.name,
    created_at: toIso(p.createdAt),
    last_used_at: p.lastUsedAt === null ? null : toIso(p.lastUsedAt),
  };
}

/** Re-authentication with a passkey, handed to the auth routes (which stand below this module). */
export function passkeyReauthCheck(services: { passkeys: PasskeyService; config: Config }) {
  return (staff: StaffSession, request: FastifyRequest, response: AuthenticationResponseBody): Promise<void> =>
    services.passkeys.verifyAssertion(
      staff.userId,
      'reauth',
      staff.userId,
      relyingPartyOf(services.config, request),
      response as AuthenticationResponseJSON,
      staff.ip,
      'auth.reauth',
    );
}

/** The signed-in person's passkeys, and the challenges for signing in and re-authenticating with one (issue 12 item 3). */
export function passkeyRoutes(services: {
  auth: AuthService;
  passkeys: PasskeyService;
  config: Config;
}): FastifyPluginAsyncZod {
  const { auth, passkeys, config } = services;
  return async (app) => {
    app.post(
      '/v1/me/passkeys/options',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary:
            'Options for navigator.credentials.create(): a challenge (once, 5 minutes), user verification required',
          body: Empty,
          response: { 200: CreationOptionsAnswer },
        },
      },
      async (request) => passkeys.registrationOptions(staffOf(request), relyingPartyOf(config, request)),
    );

    app.post(
      '/v1/me/passkeys',
      {
        config: { auth: 'staff', enrolment: true, reauth: true },
        schema: {
          tags: ['back office'],
          summary:
            'Register a passkey from the browser answer (re-authentication ≤ 5 min); a first factor answers 10 backup ' +
            'codes, shown once',
          body: z.strictObject({ name: z.string().trim().min(1).max(64), response: RegistrationResponseBody }),
          response: { 200: PasskeyAnswer.extend({ backup_codes: z.array(z.string()).optional() }) },
        },
      },
      async (request) => {
        const { passkey, backupCodes } = await passkeys.register(
          staffOf(request),
          relyingPartyOf(config, request),
          request.body.name,
          request.body.response as RegistrationResponseJSON,
        );
        return { ...passkeyAnswer(passkey), ...(backupCodes ? { backup_codes: backupCodes } : {}) };
      },
    );

    app.get(
      '/v1/me/passkeys',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary: 'My passkeys',
          response: { 200: z.object({ data: z.array(PasskeyAnswer) }) },
        },
      },
      async (request) => ({ data: (await passkeys.list(staffOf(request).userId)).map(passkeyAnswer) }),
    );

    app.post(
      '/v1/me/passkeys/:id/remove',
      {
        config: { auth: 'staff', reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Remove one of my passkeys (re-authentication ≤ 5 min)',
          params: z.object({ id: z.string().max(64) }),
          body: Empty,
        },
      },
      async (request, reply) => {
        await passkeys.remove(staffOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.post(
      '/v1/auth/second-factor/passkey/options',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary: 'Options for navigator.credentials.get() for the pending login (cookie from /v1/auth/login)',
          body: Empty,
          response: { 200: RequestOptionsAnswer },
        },
      },
      async (request) => {
        const pending = await auth.pendingLogin(request.cookies[PENDING_LOGIN_COOKIE]);
        return passkeys.loginOptions(pending, relyingPartyOf(config, request));
      },
    );

    app.post(
      '/v1/auth/reauth/passkey/options',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary: 'Options for re-authenticating with a passkey; then POST /v1/auth/reauth {method: "passkey"}',
          body: Empty,
          response: { 200: RequestOptionsAnswer },
        },
      },
      async (request) => {
        const staff = staffOf(request);
        return passkeys.assertionOptions(staff.userId, 'reauth', staff.userId, relyingPartyOf(config, request));
      },
    );
  };
}
