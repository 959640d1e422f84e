import type { Selectable } from 'kysely';

export type QrLoginStatus = 'pending' | 'approved' | 'denied' | 'used';

/**
 * A QR login (扫码登录): a browser shows a code, a signed-in person approves it on a phone, the browser collects a
 * session once. Only HMACs of the code's secret and of the browser-binding token are kept.
 */
export interface QrLoginsTable {
  id: string;
  secret_hash: string;
  browser_hash: string;
  status: QrLoginStatus;
  /** Where the request came from, shown to the approver. */
  ip: string;
  user_agent: string;
  created_at: number;
  expires_at: number;
  approved_by: string | null;
  decided_at: number | null;
  used_at: number | null;
  /** Set when a terminal showed the code: only its merchant's people may approve. */
  terminal_id: string | null;
  merchant_id: string | null;
}

export type QrLoginRow = Selectable<QrLoginsTable>;
