import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { toIso } from '../../lib/clock.js';
import { staffOf } from '../access/index.js';
import {
  AuthenticationResponseBody,
  RequestOptionsAnswer,
  SignedInAnswer,
  secureFor,
  setSessionCookies,
  signedInAnswer,
} from '../auth/index.js';
import { relyingPartyOf } from '../mfa/index.js';
import { terminalOf } from '../terminals/index.js';
import { QR_LOGIN_TTL, type QrLoginService } from './qr-login.service.js';

/** Binds a QR login to the browser that asked for it; only the poll route reads it. */
export const QR_BROWSER_COOKIE = 'rk_qr';
const QR_COOKIE_PATH = '/v1/auth/qr-logins';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const Secret = z.string().min(1).max(128);
const APPROVERS = ['owner', 'manager', 'admin'] as const;

/** QR login (扫码登录, issue 12 item 4): the waiting browser's routes and the approving phone's routes. */
export function qrLoginRoutes(services: { qrLogins: QrLoginService; config: Config }): FastifyPluginAsyncZod {
  const { qrLogins, config } = services;
  return async (app) => {
    app.post(
      '/v1/auth/qr-logins',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary:
            'Start a QR login (2 minutes, once): the payload to show as a QR code; an HttpOnly cookie binds it to ' +
            'this browser',
          body: z.strictObject({}).optional(),
          response: { 200: z.object({ id: z.string(), qr_payload: z.string(), expires_at: z.string() }) },
        },
      },
      async (request, reply) => {
        const userAgent = String(request.headers['user-agent'] ?? '');
        return started(request, reply, await qrLogins.create(request.ip, userAgent));
      },
    );

    // The same request shown on a terminal's screen (its key authenticates it): only the terminal's merchant's people
    // may approve it; the terminal app polls it like a browser.
    app.post(
      '/v1/terminal/qr-logins',
      {
        config: { auth: 'terminal' },
        schema: {
          tags: ['terminal'],
          summary:
            'Start a QR login shown on this terminal (2 minutes, once): only people of its merchant can approve it',
          body: z.strictObject({}).optional(),
          response: { 200: z.object({ id: z.string(), qr_payload: z.string(), expires_at: z.string() }) },
        },
      },
      async (request, reply) => {
        const terminal = terminalOf(request);
        const userAgent = String(request.headers['user-agent'] ?? '');
        const shownBy = { terminalId: terminal.id, merchantId: terminal.merchantId };
        return started(request, reply, await qrLogins.create(request.ip, userAgent, shownBy));
      },
    );

    /** The answer of a started QR login: its payload, and the cookie that binds it to the asking browser. */
    function started(
      request: FastifyRequest,
      reply: FastifyReply,
      created: Awaited<ReturnType<QrLoginService['create']>>,
    ) {
      reply.setCookie(QR_BROWSER_COOKIE, created.browserToken, {
        path: QR_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: secureFor(request, config.env),
        maxAge: QR_LOGIN_TTL / 1000 + 120,
      });
      const origin = relyingPartyOf(config, request).origin;
      const payload = `${origin}/console/qr/${encodeURIComponent(created.id)}?c=${encodeURIComponent(created.secret)}`;
      return { id: created.id, qr_payload: payload, expires_at: toIso(created.expiresAt) };
    }

    app.get(
      '/v1/auth/qr-logins/:id',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['back office'],
          summary:
            'Poll a QR login from the browser that started it: pending, denied, expired or used; once approved, this ' +
            'call signs the browser in as the approver (once)',
          params: IdParams,
          response: {
            200: z.union([
              SignedInAnswer,
              z.object({ status: z.enum(['pending', 'approved', 'denied', 'expired', 'used']) }),
            ]),
          },
        },
      },
      async (request, reply) => {
        const outcome = await qrLogins.poll(request.params.id, request.cookies[QR_BROWSER_COOKIE], request.ip);
        if (outcome.status !== 'signed_in') return { status: outcome.status };
        const { issued } = outcome;
        setSessionCookies(request, reply, config.env, issued.token, issued.csrfToken);
        reply.clearCookie(QR_BROWSER_COOKIE, {
          path: QR_COOKIE_PATH,
          httpOnly: true,
          sameSite: 'strict',
          secure: secureFor(request, config.env),
        });
        return signedInAnswer(issued, true);
      },
    );

    app.post(
      '/v1/qr-logins/:id/inspect',
      {
        config: { auth: 'staff', roles: [...APPROVERS] },
        schema: {
          tags: ['back office'],
          summary: 'On the phone: where a QR login comes from (browser, IP, time), given the secret from the QR code',
          params: IdParams,
          body: z.strictObject({ c: Secret }),
          response: {
            200: z.object({
              id: z.string(),
              terminal_id: z.string().nullable().describe('the terminal that showed the code, when one did'),
              browser: z.string(),
              user_agent: z.string(),
              ip: z.string(),
              created_at: z.string(),
              expires_at: z.string(),
            }),
          },
        },
      },
      async (request) => {
        const view = await qrLogins.inspect(staffOf(request), request.params.id, request.body.c);
        return {
          id: view.id,
          terminal_id: view.terminalId,
          browser: view.browser,
          user_agent: view.userAgent,
          ip: view.ip,
          created_at: toIso(view.createdAt),
          expires_at: toIso(view.expiresAt),
        };
      },
    );

    app.post(
      '/v1/qr-logins/:id/passkey-options',
      {
        config: { auth: 'staff', roles: [...APPROVERS] },
        schema: {
          tags: ['back office'],
          summary: 'On the phone: a passkey challenge for approving this QR login',
          params: IdParams,
          body: z.strictObject({ c: Secret.optional() }).optional(),
          response: { 200: RequestOptionsAnswer },
        },
      },
      async (request) =>
        qrLogins.passkeyOptions(staffOf(request), request.params.id, request.body?.c, relyingPartyOf(config, request)),
    );

    app.post(
      '/v1/qr-logins/:id/approve',
      {
        config: { auth: 'staff', roles: [...APPROVERS] },
        schema: {
          tags: ['back office'],
          summary:
            'On the phone: approve a QR login with a passkey or a TOTP code; the waiting browser is signed in as me',
          params: IdParams,
          body: z.union([
            z.strictObject({ c: Secret, method: z.literal('totp'), code: z.string().min(1).max(64) }),
            z.strictObject({ c: Secret, method: z.literal('passkey'), response: AuthenticationResponseBody }),
          ]),
          response: { 200: z.object({ status: z.literal('approved') }) },
        },
      },
      async (request) => {
        const body = request.body;
        const approval =
          body.method === 'totp'
            ? { method: 'totp' as const, code: body.code }
            : { method: 'passkey' as const, response: body.response as AuthenticationResponseJSON };
        await qrLogins.approve(staffOf(request), request.params.id, body.c, approval, relyingPartyOf(config, request));
        return { status: 'approved' as const };
      },
    );

    app.post(
      '/v1/qr-logins/:id/deny',
      {
        config: { auth: 'staff', roles: [...APPROVERS] },
        schema: {
          tags: ['back office'],
          summary: 'On the phone: deny a QR login; the waiting browser sees "denied"',
          params: IdParams,
          body: z.strictObject({ c: Secret }),
          response: { 200: z.object({ status: z.literal('denied') }) },
        },
      },
      async (request) => {
        await qrLogins.deny(staffOf(request), request.params.id, request.body.c);
        return { status: 'denied' as const };
      },
    );
  };
}
