import type { Selectable } from 'kysely';
import { z } from 'zod';
import { jsonColumn } from '../../lib/json-column.js';
import { Factor } from '../refund-model/refund.schemas.js';
import type { AuthorizationFactor, RefundRecord, RefundStatus, RefundType } from '../refund-model/refund.types.js';

export type { AuthorizationFactor, RefundStatus, RefundType };

/** The refunds row: a RefundRecord whose factor lists are stored as JSON (the repository parses them). */
export interface RefundsTable extends Omit<RefundRecord, 'required' | 'satisfied'> {
  /** JSON AuthorizationFactor[] required in all. */
  required: string;
  /** JSON AuthorizationFactor[] already satisfied. */
  satisfied: string;
}

export type RefundRow = Selectable<RefundsTable>;

/** `required` and `satisfied`: checked as they are read, since the authorization decision is made from them. */
export const FactorsColumn = jsonColumn<AuthorizationFactor[]>(z.array(Factor));
