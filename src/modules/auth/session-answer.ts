// The back office's answers about a session: the signed-in user and the session's limits. Kept apart from the routes
// because the modules that finish a login (account, invitations, mfa, qr-login) answer with them too.
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { SECOND_FACTOR_REQUIRED, type StaffUser } from '../staff/index.js';
import type { IssuedSession } from './session-opening.js';
import { IDLE_TIMEOUT, REAUTH_MAX_AGE } from './sessions.js';

export const UserView = z.object({
  id: z.string(),
  merchant_id: z.string().nullable(),
  role: z.enum(['owner', 'manager', 'cashier', 'admin', 'support_agent']),
  login: z.string(),
  name: z.string(),
  store_ids: z.array(z.string()).nullable(),
});
export const SessionAnswer = z.object({
  user: UserView,
  csrf_token: z.string(),
  expires_at: z.string(),
  idle_timeout_s: z.number(),
  reauth_valid_until: z.string(),
});

/** A signed-in answer of login or of the second factor; an owner, manager or admin without a factor may only enrol. */
export const SignedInAnswer = SessionAnswer.extend({
  status: z.literal('signed_in'),
  second_factor_enrolment_required: z.boolean(),
});

/** The answer once a session exists (login without a factor, or after the second factor). */
export function signedInAnswer(issued: IssuedSession, hasFactor: boolean): z.infer<typeof SignedInAnswer> {
  return {
    status: 'signed_in',
    ...sessionAnswer(issued),
    second_factor_enrolment_required: !hasFactor && SECOND_FACTOR_REQUIRED.includes(issued.user.role),
  };
}

export function userView(user: StaffUser): z.infer<typeof UserView> {
  return {
    id: user.id,
    merchant_id: user.merchantId,
    role: user.role,
    login: user.login,
    name: user.name,
    store_ids: user.storeIds,
  };
}

/** The answer to a login or a re-authentication: who, the CSRF token and the session's limits. */
export function sessionAnswer(issued: IssuedSession): z.infer<typeof SessionAnswer> {
  return {
    user: userView(issued.user),
    csrf_token: issued.csrfToken,
    expires_at: toIso(issued.expiresAt),
    idle_timeout_s: IDLE_TIMEOUT / 1000,
    reauth_valid_until: toIso((issued.session.reauthAt ?? 0) + REAUTH_MAX_AGE),
  };
}
