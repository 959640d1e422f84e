import type { Selectable } from 'kysely';

export type AnnouncementSeverity = 'info' | 'warning' | 'urgent';
export type AudienceKind = 'all' | 'merchant_type' | 'region';

/** An announcement (公告) published by a platform admin, shown between starts_at and ends_at to its audience. */
export interface AnnouncementsTable {
  id: string;
  title: string;
  body: string;
  severity: AnnouncementSeverity;
  audience_kind: AudienceKind;
  /** The merchant type or region for those audiences; null for all. */
  audience_value: string | null;
  starts_at: number;
  ends_at: number;
  created_by: string;
  created_at: number;
}

/** One person's acknowledgement, for their merchant; `via` is console or terminal. */
export interface AnnouncementAcksTable {
  announcement_id: string;
  merchant_id: string;
  user_id: string;
  via: 'console' | 'terminal';
  acknowledged_at: number;
}

/** The audience a merchant belongs to: its type (e.g. restaurant) and region (e.g. 上海). */
export interface MerchantAudiencesTable {
  merchant_id: string;
  merchant_type: string | null;
  region: string | null;
  updated_at: number;
}

export type AnnouncementRow = Selectable<AnnouncementsTable>;
