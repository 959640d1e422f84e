import type { StaffUser } from '../staff/index.js';
import type { AuditEvent } from './audit.service.js';

/** A person changed something of their own account (a password, a factor, a phone, a language), from `ip`. */
export function ownChangeEvent(
  user: Pick<StaffUser, 'id' | 'merchantId'>,
  ip: string,
  event: string,
  detail: Record<string, unknown>,
): AuditEvent {
  return {
    merchantId: user.merchantId,
    actor: { type: 'user', id: user.id },
    event,
    outcome: 'success',
    origin: ip,
    object: { type: 'user', id: user.id },
    detail,
  };
}
