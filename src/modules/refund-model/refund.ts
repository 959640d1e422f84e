import { MINUTE } from '../../lib/clock.js';
import type { AuditEvent } from '../audit/index.js';

import type { AuthorizationFactor, RefundRecord, RefundStatus, RefundType } from './refund.types.js';

export type { AuthorizationFactor, RefundRecord, RefundStatus, RefundType };

export const MAX_REFUNDS_PER_SALE = 50;
/** A waiting refund expires after this much inactivity. */
export const REFUND_INACTIVITY = 15 * MINUTE;

/** A waiting refund expires after 15 minutes of inactivity, or when its current code expires, whichever is first. */
export function waitingUntil(now: number, codeExpiresAt: number | null): number {
  return codeExpiresAt === null ? now + REFUND_INACTIVITY : Math.min(now + REFUND_INACTIVITY, codeExpiresAt);
}

/** The factors still missing, in the order they are asked for. */
export function missingFactors(refund: Pick<RefundRecord, 'required' | 'satisfied'>): AuthorizationFactor[] {
  return refund.required.filter((f) => !refund.satisfied.includes(f));
}

/** Where a refund goes once `satisfied` are given: completed, to a second person, or still waiting for a factor. */
export type NextStep = 'complete' | 'approval' | 'factor';

export function nextStep(required: AuthorizationFactor[], satisfied: AuthorizationFactor[]): NextStep {
  const missing = required.filter((f) => !satisfied.includes(f));
  if (missing.length === 0) return 'complete';
  return missing.every((f) => f === 'approval') ? 'approval' : 'factor';
}

/**
 * An audit event about a refund: on the refund, from its terminal, by its operator unless another actor is named
 * (a manager approving, the system expiring it).
 */
export function refundAuditEvent(
  refund: Pick<RefundRecord, 'id' | 'merchant_id' | 'operator_id' | 'terminal_id'>,
  event: string,
  outcome: AuditEvent['outcome'],
  detail: Record<string, unknown> = {},
  actor: AuditEvent['actor'] = { type: 'operator', id: refund.operator_id },
): AuditEvent {
  return {
    merchantId: refund.merchant_id,
    actor,
    event,
    outcome,
    origin: refund.terminal_id,
    object: { type: 'refund', id: refund.id },
    detail,
  };
}

/** Details the authorization module adds to a Refund's `authorization` block (code destinations, expiry, attempts). */
export interface AuthorizationDetails {
  code_sent_to: string[];
  code_expires_at: string | null;
  attempts_left: number | null;
}

export const NO_CODE: AuthorizationDetails = { code_sent_to: [], code_expires_at: null, attempts_left: null };
