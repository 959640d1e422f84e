import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, CommonErrors } from '../lib/errors.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../modules/auth/session-cookies.js';
import { MfaErrors } from '../modules/mfa/mfa.errors.js';
import { SECOND_FACTOR_REQUIRED } from '../modules/staff/staff.table.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Enforce `config.auth: 'staff'`: a live back-office session from the `rk_session` cookie, the CSRF token on every
 * state-changing request, `config.roles` (403 FORBIDDEN) and `config.reauth` (re-authenticated ≤ 5 min ago). An
 * owner, manager or admin without a second factor may only use routes marked `config.enrolment` (403
 * SECOND_FACTOR_ENROLMENT_REQUIRED elsewhere).
 */
export function registerStaffAuth(
  app: FastifyInstance,
  auth: AuthService,
  hasSecondFactor: (userId: string) => Promise<boolean>,
): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const { auth: kind, roles, reauth, enrolment } = request.routeOptions.config;
    if (kind !== 'staff') return;
    const csrf = request.headers[CSRF_HEADER];
    const staff = await auth.authenticate({
      token: request.cookies[SESSION_COOKIE],
      csrfToken: typeof csrf === 'string' ? csrf : undefined,
      checkCsrf: !SAFE_METHODS.has(request.method),
      ip: request.ip,
    });
    request.staff = staff;
    if (!enrolment && SECOND_FACTOR_REQUIRED.includes(staff.role) && !(await hasSecondFactor(staff.userId))) {
      throw AppError.from(MfaErrors, 'SECOND_FACTOR_ENROLMENT_REQUIRED');
    }
    if (roles && !roles.includes(staff.role)) throw AppError.from(CommonErrors, 'FORBIDDEN');
    if (reauth) auth.requireFreshAuth(staff);
  });
}
