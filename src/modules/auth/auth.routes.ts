import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { type StaffSession, staffOf } from '../access/index.js';
import type { StaffService } from '../staff/index.js';
import { AuthErrors } from './auth.errors.js';
import type { AuthService } from './auth.service.js';
import { SessionAnswer, SignedInAnswer, sessionAnswer, signedInAnswer, UserView, userView } from './session-answer.js';
import { clearSessionCookies, setPendingLoginCookie, setSessionCookies } from './session-cookies.js';
import type { IssuedSession } from './session-opening.js';
import { AuthenticationResponseBody } from './webauthn-json.js';

const LoginBody = z.strictObject({ login: z.string().min(1).max(254), password: z.string().min(1).max(1024) });
const ReauthBody = z.union([
  z.strictObject({ method: z.literal('password').optional(), password: z.string().min(1).max(1024) }),
  z.strictObject({ method: z.literal('passkey'), response: AuthenticationResponseBody }),
]);

/** Checks a passkey answer for re-authentication (given by the passkey module, which stands above this one). */
export type PasskeyReauthCheck = (
  staff: StaffSession,
  request: FastifyRequest,
  response: AuthenticationResponseBody,
) => Promise<void>;

const SecondFactorRequiredAnswer = z.object({
  status: z.literal('second_factor_required'),
  methods: z.array(z.enum(['passkey', 'totp', 'sms', 'backup_code'])),
  expires_at: z.string(),
});

/** Back-office sign-in (登录), re-authentication, sign-out and the current session. */
export function authRoutes(services: {
  auth: AuthService;
  staff: StaffService;
  config: Config;
  passkeyReauth?: PasskeyReauthCheck;
}): FastifyPluginAsyncZod {
  const { auth, staff, config, passkeyReauth } = services;
  return async (app) => {
    app.post(
      '/v1/auth/login',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary:
            'Sign in with the password: signed in (rk_session cookie, CSRF token), or second_factor_required with a ' +
            'short-lived pending-login cookie for POST /v1/auth/second-factor',
          body: LoginBody,
          response: { 200: z.union([SignedInAnswer, SecondFactorRequiredAnswer]) },
        },
      },
      async (request, reply) => {
        const outcome = await auth.signIn(request.body.login, request.body.password, request.ip);
        if (outcome.status === 'second_factor_required') {
          setPendingLoginCookie(request, reply, config.env, outcome.pendingToken);
          return { status: outcome.status, methods: outcome.methods, expires_at: toIso(outcome.expiresAt) };
        }
        const { issued } = outcome;
        setSessionCookies(request, reply, config.env, issued.token, issued.csrfToken);
        return signedInAnswer(issued, false);
      },
    );

    app.post(
      '/v1/auth/reauth',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary:
            'Re-enter the password (or answer a passkey challenge from /v1/auth/reauth/passkey/options) before a ' +
            'sensitive action; the session gets a new id and CSRF token',
          body: ReauthBody,
          response: { 200: SessionAnswer },
        },
      },
      async (request, reply) => {
        const body = request.body;
        let issued: IssuedSession;
        if (body.method === 'passkey') {
          if (!passkeyReauth) throw AppError.from(AuthErrors, 'REAUTH_FAILED');
          await passkeyReauth(staffOf(request), request, body.response);
          issued = await auth.reauthenticated(staffOf(request), 'passkey');
        } else {
          issued = await auth.reauthenticate(staffOf(request), body.password);
        }
        setSessionCookies(request, reply, config.env, issued.token, issued.csrfToken);
        return sessionAnswer(issued);
      },
    );

    app.post(
      '/v1/auth/logout',
      {
        config: { auth: 'staff', enrolment: true },
        schema: { tags: ['back office'], summary: 'Sign out: the session ends on the server' },
      },
      async (request, reply) => {
        await auth.logout(staffOf(request));
        clearSessionCookies(request, reply, config.env);
        return reply.code(204).send();
      },
    );

    app.get(
      '/v1/auth/me',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary: 'The signed-in user and session',
          response: {
            200: z.object({
              user: UserView,
              session: z.object({ id: z.string(), reauth_at: z.string().nullable() }),
              /** The server's mode: the console shows development tools (the dev outbox) outside production. */
              environment: z.enum(['development', 'production', 'test']),
            }),
          },
        },
      },
      async (request) => {
        const session = staffOf(request);
        const user = await staff.getUser(session.userId);
        if (!user) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
        return {
          user: userView(user),
          session: { id: session.sessionId, reauth_at: session.reauthAt === null ? null : toIso(session.reauthAt) },
          environment: config.env,
        };
      },
    );
  };
}
