import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { toIso } from '../../lib/clock.js';
import { staffOf } from '../access/index.js';
import { clearSessionCookies, SignedInAnswer, setSessionCookies, signedInAnswer } from '../auth/index.js';
import type { MfaService } from '../mfa/index.js';
import type { AccountService } from './account.service.js';

const Password = z.string().min(1).max(1024);
const Empty = z.strictObject({}).optional();
const ResetRequested = z.object({ status: z.literal('reset_requested') });

/** One's own account: password change and reset, sessions, phone, e-mail and language (issue 12 items 5, 6). */
export function accountRoutes(services: {
  account: AccountService;
  mfa: MfaService;
  config: Config;
}): FastifyPluginAsyncZod {
  const { account, mfa, config } = services;
  return async (app) => {
    app.post(
      '/v1/me/password',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary: 'Change my password with the old one; every other session ends; the session gets a new id',
          body: z.strictObject({ old_password: Password, new_password: Password }),
          response: { 200: SignedInAnswer },
        },
      },
      async (request, reply) => {
        const staff = staffOf(request);
        const issued = await account.changePassword(staff, request.body.old_password, request.body.new_password);
        setSessionCookies(request, reply, config.env, issued.token, issued.csrfToken);
        return signedInAnswer(issued, await mfa.hasActiveFactor(staff.userId));
      },
    );

    app.post(
      '/v1/auth/password-reset',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary:
            'Forgot my password: a code by SMS (10 min) or a link by e-mail (24 h); the same answer for any login id',
          body: z.strictObject({ login: z.string().min(1).max(254), channel: z.enum(['sms', 'email']) }),
          response: { 202: ResetRequested },
        },
      },
      async (request, reply) => {
        await account.requestReset(request.body.login, request.body.channel, request.ip);
        return reply.code(202).send({ status: 'reset_requested' as const });
      },
    );

    app.post(
      '/v1/auth/password-reset/confirm',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary: 'Set a new password with the reset code or token (once); every session ends; sign in again after',
          body: z
            .strictObject({
              login: z.string().min(1).max(254),
              code: z.string().min(1).max(128).optional(),
              token: z.string().min(1).max(128).optional(),
              new_password: Password,
            })
            .refine((b) => (b.code === undefined) !== (b.token === undefined), {
              message: 'send either code or token',
              path: ['code'],
            }),
          response: { 200: z.object({ status: z.literal('password_reset') }) },
        },
      },
      async (request) => {
        const { login, code, token, new_password } = request.body;
        await account.confirmReset(login, code ?? token ?? '', new_password, request.ip);
        return { status: 'password_reset' as const };
      },
    );

    app.get(
      '/v1/me/sessions',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary: 'My live sessions, newest first',
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  id: z.string(),
                  ip: z.string(),
                  created_at: z.string(),
                  last_seen_at: z.string(),
                  current: z.boolean(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        data: (await account.sessions(staffOf(request))).map((s) => ({
          id: s.id,
          ip: s.ip,
          created_at: toIso(Number(s.created_at)),
          last_seen_at: toIso(Number(s.last_seen_at)),
          current: s.current,
        })),
      }),
    );

    app.post(
      '/v1/me/sessions/:id/logout',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary: 'End one of my sessions',
          params: z.object({ id: z.string().max(64) }),
          body: Empty,
        },
      },
      async (request, reply) => {
        await account.endSession(staffOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.post(
      '/v1/me/sessions/logout-all',
      {
        config: { auth: 'staff', enrolment: true },
        schema: { tags: ['back office'], summary: 'Sign out everywhere, this session too', body: Empty },
      },
      async (request, reply) => {
        await account.endAllSessions(staffOf(request));
        clearSessionCookies(request, reply, config.env);
        return reply.code(204).send();
      },
    );

    app.post(
      '/v1/me/locale',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary: 'The language of messages to me: zh-CN or en',
          body: z.strictObject({ locale: z.enum(['zh-CN', 'en']) }),
          response: { 200: z.object({ locale: z.enum(['zh-CN', 'en']) }) },
        },
      },
      async (request) => {
        await account.setLocale(staffOf(request), request.body.locale);
        return { locale: request.body.locale };
      },
    );

    app.post(
      '/v1/me/phone',
      {
        config: { auth: 'staff', reauth: true },
        schema: {
          tags: ['back office'],
          summary:
            'Change my phone (re-authentication ≤ 5 min): a code goes to the new number; it replaces the old one only ' +
            'when the code comes back (POST /v1/me/phone/confirm)',
          body: z.strictObject({ phone: z.string().regex(/^\+?\d{6,20}$/) }),
          response: { 202: z.object({ sent_to: z.string(), expires_at: z.string() }) },
        },
      },
      async (request, reply) => {
        const sent = await account.requestPhoneChange(staffOf(request), request.body.phone);
        return reply.code(202).send({ sent_to: sent.sentTo, expires_at: toIso(sent.expiresAt) });
      },
    );

    app.post(
      '/v1/me/phone/confirm',
      {
        config: { auth: 'staff', reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Confirm my new phone with the code sent to it; the old phone and e-mail are told',
          body: z.strictObject({ code: z.string().min(1).max(16) }),
        },
      },
      async (request, reply) => {
        await account.confirmPhoneChange(staffOf(request), request.body.code);
        return reply.code(204).send();
      },
    );

    app.post(
      '/v1/me/email',
      {
        config: { auth: 'staff', reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Change my e-mail (re-authentication ≤ 5 min); the old address is told',
          body: z.strictObject({ email: z.email().max(254) }),
        },
      },
      async (request, reply) => {
        await account.changeContact(staffOf(request), { email: request.body.email });
        return reply.code(204).send();
      },
    );
  };
}
