import type { FastifyReply, FastifyRequest } from 'fastify';
import { PENDING_LOGIN_TTL } from './pending-logins.js';
import { ABSOLUTE_TIMEOUT } from './session-opening.js';

export const SESSION_COOKIE = 'rk_session';
export const CSRF_COOKIE = 'rk_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Between the password and the second factor; only the second-factor routes read it. */
export const PENDING_LOGIN_COOKIE = 'rk_pending';
const PENDING_PATH = '/v1/auth/second-factor';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Secure cookies everywhere except tests and plain-http localhost development (docs/security.md "Back-office sessions"). */
export function secureFor(request: FastifyRequest, env: string): boolean {
  if (env === 'test') return false;
  if (env === 'production') return true;
  return !LOCAL_HOSTS.has(request.hostname);
}

/**
 * The session cookie is HttpOnly; the CSRF cookie is readable by the console's script, which echoes it in
 * X-CSRF-Token (double submit). The server also keeps an HMAC of the CSRF token, so a planted cookie is useless.
 */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  env: string,
  token: string,
  csrfToken: string,
): void {
  const secure = secureFor(request, env);
  const maxAge = ABSOLUTE_TIMEOUT / 1000;
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  reply.setCookie(CSRF_COOKIE, csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge });
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply, env: string): void {
  const secure = secureFor(request, env);
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  reply.clearCookie(CSRF_COOKIE, { path: '/', httpOnly: false, sameSite: 'lax', secure });
}

/** The pending-login token: HttpOnly, SameSite=Strict, sent only to the second-factor routes, gone in 5 minutes. */
export function setPendingLoginCookie(request: FastifyRequest, reply: FastifyReply, env: string, token: string): void {
  const secure = secureFor(request, env);
  const maxAge = PENDING_LOGIN_TTL / 1000;
  reply.setCookie(PENDING_LOGIN_COOKIE, token, {
    path: PENDING_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure,
    maxAge,
  });
}

export function clearPendingLoginCookie(request: FastifyRequest, reply: FastifyReply, env: string): void {
  const secure = secureFor(request, env);
  reply.clearCookie(PENDING_LOGIN_COOKIE, { path: PENDING_PATH, httpOnly: true, sameSite: 'strict', secure });
}
