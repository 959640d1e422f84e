import type { Insertable, Selectable } from 'kysely';

/**
 * A merchant's notification recipient (通知接收人): a phone or e-mail address that receives the approval requests and
 * security alerts besides the owners and managers themselves. Used only once it confirmed the code sent to it.
 */
export interface NotificationRecipientsTable {
  id: string;
  merchant_id: string;
  channel: 'sms' | 'email';
  address: string;
  /** Who the address belongs to, in the owner's words ("财务 王女士"). */
  label: string;
  locale: string;
  status: 'pending' | 'verified';
  /** HMAC of the live code; null once verified. */
  code_hash: string | null;
  code_expires_at: number | null;
  /** Wrong codes so far (claimed before each check; 5 burn the code, a new code does not reset them). */
  code_attempts: number;
  /** Codes sent so far (at most 3). */
  codes_sent: number;
  created_by: string;
  created_at: number;
  verified_at: number | null;
}

export type NotificationRecipientRow = Selectable<NotificationRecipientsTable>;
export type NewNotificationRecipient = Insertable<NotificationRecipientsTable>;
