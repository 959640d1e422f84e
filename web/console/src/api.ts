import type { Middleware } from 'openapi-fetch';
import { ApiError, createApiClient, unwrap } from '../../shared/api.js';
import { i18next } from '../../shared/i18n.js';

/**
 * The console's one API client. The session cookie is HttpOnly; the CSRF token comes back in the sign-in answer and
 * in the script-readable `rk_csrf` cookie (double submit, docs/security.md), and is echoed as X-CSRF-Token on every
 * unsafe method. The token is also kept in sessionStorage so a tab that signed in keeps working after a reload.
 */
const CSRF_STORAGE = 'refundkey.csrf';
let csrfToken: string | undefined = sessionStorage.getItem(CSRF_STORAGE) ?? undefined;

export function rememberCsrf(token: string | undefined): void {
  csrfToken = token;
  if (token) sessionStorage.setItem(CSRF_STORAGE, token);
  else sessionStorage.removeItem(CSRF_STORAGE);
}

/** True when this tab holds a session's CSRF token: someone may be signed in here (a 401 may then be a race). */
export function maybeSignedIn(): boolean {
  return currentCsrf() !== undefined;
}

function currentCsrf(): string | undefined {
  const cookie = /(?:^|;\s*)rk_csrf=([^;]+)/.exec(document.cookie)?.[1];
  return cookie ? decodeURIComponent(cookie) : csrfToken;
}

export const api = createApiClient({ language: () => i18next.language || 'zh-CN' });

const csrf: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const token = currentCsrf();
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
};
api.use(csrf);

/** Codes that mean "nobody is signed in here any more": the console goes to the sign-in page. */
const SIGNED_OUT = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'SESSION_REVOKED']);

export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && SIGNED_OUT.has(error.code);
}

export function isReauthRequired(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'REAUTH_REQUIRED';
}

export function isEnrolmentRequired(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'SECOND_FACTOR_ENROLMENT_REQUIRED';
}

export { ApiError, unwrap };
