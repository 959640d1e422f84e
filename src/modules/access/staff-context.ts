import type { FastifyRequest } from 'fastify';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { StaffRole } from '../staff/index.js';

/** A back-office session (owner, manager, cashier or platform admin) resolved from the session cookie. */
export interface StaffSession {
  sessionId: string;
  userId: string;
  merchantId: string | null;
  role: StaffRole;
  /** Stores a manager or cashier may act on; null = every store of the merchant. */
  storeIds: string[] | null;
  /** When the user last re-authenticated (ms), for actions that need it ≤ 5 min old. */
  reauthAt: number | null;
  ip: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on a `staff` route; absent = any signed-in staff user. */
    roles?: StaffRole[];
    /** The action needs a re-authentication at most 5 minutes old. */
    reauth?: boolean;
    /** Open to a session that must still enrol a second factor (enrolment, who am I, sign out). */
    enrolment?: boolean;
  }
  interface FastifyRequest {
    staff?: StaffSession;
  }
}

/** The back-office session of a request on a `staff` route. */
export function staffOf(request: FastifyRequest): StaffSession {
  if (!request.staff) throw AppError.from(CommonErrors, 'UNAUTHENTICATED');
  return request.staff;
}
