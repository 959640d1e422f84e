// The audit event of something a signed-in person did: written once here, for every service that records one.
import type { StaffSession } from '../access/index.js';
import type { StaffUser } from '../staff/index.js';
import type { AuditEvent } from './audit.service.js';

/** Who acted and from where: a person, their merchant, and the address their request came from. A session is one. */
export type StaffActor = Pick<StaffSession, 'userId' | 'merchantId' | 'ip'>;

/** What else an event of a person's action says: its outcome (success unless given), what it was on, and details. */
export interface StaffEventFields {
  outcome?: AuditEvent['outcome'];
  /**
   * The merchant the action was on when it is not the person's own: a platform agent or admin working on a merchant's
   * case, ticket or application (null: on no merchant). The person's merchant unless given.
   */
  merchantId?: string | null;
  object?: AuditEvent['object'];
  detail?: Record<string, unknown>;
}

/** A person acting from `ip` when there is no session yet (a sign-in) or the person is at hand rather than it. */
export function staffActor(user: Pick<StaffUser, 'id' | 'merchantId'>, ip: string): StaffActor {
  return { userId: user.id, merchantId: user.merchantId, ip };
}

/** An audit event of `by`'s action: the person is its actor, their address its origin, their merchant its merchant. */
export function staffEvent(by: StaffActor, event: string, fields: StaffEventFields = {}): AuditEvent {
  return {
    merchantId: fields.merchantId === undefined ? by.merchantId : fields.merchantId,
    actor: { type: 'user', id: by.userId },
    event,
    outcome: fields.outcome ?? 'success',
    origin: by.ip,
    ...(fields.object ? { object: fields.object } : {}),
    ...(fields.detail ? { detail: fields.detail } : {}),
  };
}
