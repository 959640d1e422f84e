import type { Selectable } from 'kysely';
import { jsonColumn } from '../../lib/json-column.js';

export type ActorType = 'user' | 'operator' | 'terminal' | 'system' | 'anonymous' | 'bank';

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditLogTable {
  seq: number;
  at: number;
  merchant_id: string | null;
  actor_type: ActorType;
  actor_id: string | null;
  event: string;
  outcome: 'success' | 'failure' | 'info';
  /** IP address or terminal id. */
  origin: string | null;
  object_type: string | null;
  object_id: string | null;
  /** JSON, never a secret. */
  detail: string;
  prev_hash: string;
  hash: string;
}

export type AuditRow = Selectable<AuditLogTable>;

/** `detail`: the event's facts (never a secret); its text is what the chain's HMAC covers, so it is written once. */
export const DetailColumn = jsonColumn<Record<string, unknown>>();
