import type { Selectable } from 'kysely';

export interface IdempotencyKeysTable {
  terminal_id: string;
  key: string;
  request_hash: string;
  resource_id: string | null;
  status_code: number | null;
  response: string | null;
  created_at: number;
}

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;
