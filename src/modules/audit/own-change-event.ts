import type { StaffUser } from '../staff/index.js';
import type { AuditEvent } from './audit.service.js';
import { staffActor, staffEvent } from './staff-event.js';

/** A person changed something of their own account (a password, a factor, a phone, a language), from `ip`. */
export function ownChangeEvent(
  user: Pick<StaffUser, 'id' | 'merchantId'>,
  ip: string,
  event: string,
  detail: Record<string, unknown>,
): AuditEvent {
  return staffEvent(staffActor(user, ip), event, { object: { type: 'user', id: user.id }, detail });
}
