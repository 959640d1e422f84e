import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { toIso } from '../../lib/clock.js';
import { staffOf } from '../access/index.js';
import {
  AuthenticationResponseBody,
  type AuthService,
  clearPendingLoginCookie,
  PENDING_LOGIN_COOKIE,
  SignedInAnswer,
  setSessionCookies,
  signedInAnswer,
} from '../auth/index.js';
import type { MfaService } from './mfa.service.js';
import type { PasskeyService } from './passkey.service.js';
import { relyingPartyOf } from './relying-party.js';

const SecondFactorBody = z.union([
  z.strictObject({ method: z.enum(['totp', 'sms', 'backup_code']), code: z.string().min(1).max(64) }),
  z.strictObject({ method: z.literal('passkey'), response: AuthenticationResponseBody }),
]);
const CodeBody = z.strictObject({ code: z.string().min(1).max(64) });
const Empty = z.strictObject({}).optional();
const BackupCodes = z.object({ backup_codes: z.array(z.string()) });
const CodeSent = z.object({ sent_to: z.string(), expires_at: z.string() });

/** The second step of sign-in, and the signed-in person's own second factors (issue 12 item 3). */
export function mfaRoutes(services: {
  auth: AuthService;
  mfa: MfaService;
  passkeys: PasskeyService;
  config: Config;
}): FastifyPluginAsyncZod {
  const { auth, mfa, passkeys, config } = services;
  return async (app) => {
    app.post(
      '/v1/auth/second-factor',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary:
            'Complete a sign-in with a TOTP, SMS or backup code, or a passkey answer (options from ' +
            '/v1/auth/second-factor/passkey/options); the pending-login cookie comes from /v1/auth/login',
          body: SecondFactorBody,
          response: { 200: SignedInAnswer },
        },
      },
      async (request, reply) => {
        const pending = await auth.pendingLogin(request.cookies[PENDING_LOGIN_COOKIE]);
        const body = request.body;
        if (body.method === 'passkey') {
          const rp = relyingPartyOf(config, request);
          await passkeys.verifyForLogin(pending, rp, body.response as AuthenticationResponseJSON, request.ip);
        } else {
          await mfa.verifyForLogin(pending, body.method, body.code, request.ip);
        }
        const issued = await auth.completePendingLogin(pending, request.ip, request.body.method);
        clearPendingLoginCookie(request, reply, config.env);
        setSessionCookies(request, reply, config.env, issued.token, issued.csrfToken);
        return signedInAnswer(issued, true);
      },
    );

    app.post(
      '/v1/auth/second-factor/sms',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary: 'Send a sign-in code by SMS for the pending login (5 minutes, once; at most 3 per sign-in)',
          body: Empty,
          response: { 200: CodeSent },
        },
      },
      async (request) => {
        const pending = await auth.pendingLogin(request.cookies[PENDING_LOGIN_COOKIE]);
        const sent = await mfa.sendLoginSms(pending);
        return { sent_to: sent.sentTo, expires_at: toIso(sent.expiresAt) };
      },
    );

    app.post(
      '/v1/me/backup-codes',
      {
        config: { auth: 'staff', reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'New backup codes; the old set stops working (re-authentication ≤ 5 min), shown once',
          body: Empty,
          response: { 200: BackupCodes },
        },
      },
      async (request) => ({ backup_codes: await mfa.regenerateBackupCodes(staffOf(request)) }),
    );
    app.get(
      '/v1/me/second-factors',
      {
        config: { auth: 'staff', enrolment: true },
        schema: {
          tags: ['back office'],
          summary: 'My second factors, backup codes left, and whether my role must have one',
          response: {
            200: z.object({
              factors: z.array(
                z.object({
                  kind: z.enum(['totp', 'sms', 'passkey']),
                  created_at: z.string(),
                  id: z.string().optional(),
                  name: z.string().optional(),
                }),
              ),
              backup_codes_left: z.number(),
              required: z.boolean(),
            }),
          },
        },
      },
      async (request) => {
        const overview = await mfa.overview(staffOf(request));
        return {
          factors: overview.factors,
          backup_codes_left: overview.backupCodesLeft,
          required: overview.required,
        };
      },
    );

    app.post(
      '/v1/me/totp',
      {
        config: { auth: 'staff', enrolment: true, reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Start TOTP enrolment: the secret and otpauth:// URL, shown once (re-authentication ≤ 5 min)',
          body: Empty,
          response: { 200: z.object({ secret: z.string(), otpauth_url: z.string() }) },
        },
      },
      async (request) => {
        const started = await mfa.startTotp(staffOf(request));
        return { secret: started.secret, otpauth_url: started.otpauthUrl };
      },
    );

    app.post(
      '/v1/me/totp/confirm',
      {
        config: { auth: 'staff', enrolment: true, reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Confirm TOTP with a code from the app; answers 10 new backup codes, shown once',
          body: CodeBody,
          response: { 200: BackupCodes },
        },
      },
      async (request) => ({ backup_codes: await mfa.confirmTotp(staffOf(request), request.body.code) }),
    );

    app.post(
      '/v1/me/totp/remove',
      {
        config: { auth: 'staff', reauth: true },
        schema: { tags: ['back office'], summary: 'Remove TOTP (re-authentication ≤ 5 min)', body: Empty },
      },
      async (request, reply) => {
        await mfa.removeFactor(staffOf(request), 'totp');
        return reply.code(204).send();
      },
    );

    app.post(
      '/v1/me/sms-factor',
      {
        config: { auth: 'staff', enrolment: true, reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Start the SMS second factor: a code goes to my phone (re-authentication ≤ 5 min)',
          body: Empty,
          response: { 200: CodeSent },
        },
      },
      async (request) => {
        const sent = await mfa.startSms(staffOf(request));
        return { sent_to: sent.sentTo, expires_at: toIso(sent.expiresAt) };
      },
    );

    app.post(
      '/v1/me/sms-factor/confirm',
      {
        config: { auth: 'staff', enrolment: true, reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Confirm the SMS factor with the code; answers 10 new backup codes, shown once',
          body: CodeBody,
          response: { 200: BackupCodes },
        },
      },
      async (request) => ({ backup_codes: await mfa.confirmSms(staffOf(request), request.body.code) }),
    );

    app.post(
      '/v1/me/sms-factor/remove',
      {
        config: { auth: 'staff', reauth: true },
        schema: { tags: ['back office'], summary: 'Remove the SMS factor (re-authentication ≤ 5 min)', body: Empty },
      },
      async (request, reply) => {
        await mfa.removeFactor(staffOf(request), 'sms');
        return reply.code(204).send();
      },
    );
  };
}
