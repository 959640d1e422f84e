import type { Selectable } from 'kysely';

/**
 * One counter per thing whose secret is guessed (a terminal's refund key, a merchant's refund authorizations, a refund's
 * one-time code, a login id, an operator on a terminal, ...). `scope` is `<rule>:<subject>`; subjects that come from
 * user input (login ids) are HMACed first, so nothing typed in is kept in clear.
 */
export interface AttemptLimitsTable {
  scope: string;
  /** For owner unlocks and clean-up; null where the subject has no merchant yet (an unknown login id). */
  merchant_id: string | null;
  /** Attempts claimed in the current run or window, settled ones and ones still being verified. */
  count: number;
  /** Claimed attempts whose verification has not settled yet. */
  pending: number;
  window_start: number;
  /** Locked while `locked_until` > now; a burned scope keeps a far-future value. */
  locked_until: number;
  updated_at: number;
}

export type AttemptLimitRow = Selectable<AttemptLimitsTable>;
