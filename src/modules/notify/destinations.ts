import type { StaffUser } from '../staff/index.js';
import type { OutboxChannel } from './outbox.table.js';

/** Where one message goes: a phone by SMS or an address by e-mail. */
export interface Destination {
  channel: Extract<OutboxChannel, 'sms' | 'email'>;
  recipient: string;
  locale: string;
  userId: string;
}

/** Every phone (SMS) and e-mail address of these users. */
export function destinationsOf(users: StaffUser[]): Destination[] {
  const out: Destination[] = [];
  for (const user of users) {
    if (user.phone) out.push({ channel: 'sms', recipient: user.phone, locale: user.locale, userId: user.id });
    if (user.email) out.push({ channel: 'email', recipient: user.email, locale: user.locale, userId: user.id });
  }
  return out;
}
