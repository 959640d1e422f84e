import { type Destination, destinationsOf } from '../notify/index.js';
import type { StaffUser } from '../staff/index.js';

export { type Destination, destinationsOf };

/** The owner and the managers of this store (a manager scoped to other stores is not one of its approvers). */
export function approversOf(users: StaffUser[], storeId: string): StaffUser[] {
  return users.filter(
    (u) => u.role === 'owner' || (u.role === 'manager' && (u.storeIds === null || u.storeIds.includes(storeId))),
  );
}

/** "13800138000" → "138****8000": enough for the cashier to tell whom to ask, not enough to learn the number. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length < 8) return `${digits.slice(0, 1)}****`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** "owner-x@demo.refundkey.test" → "o***@demo.refundkey.test". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

export function maskDestination(d: Destination): string {
  return d.channel === 'sms' ? maskPhone(d.recipient) : maskEmail(d.recipient);
}
