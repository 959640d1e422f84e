import { AppError } from '../../lib/errors.js';
import type { OperatorPermissions } from '../staff/index.js';
import { ProvisioningErrors } from './provisioning.errors.js';

/** What a terminal request asks of its operator: a permission, and for money going back, the amount. */
export type OperatorAction = { kind: 'refund' | 'void'; amount: number } | { kind: 'settle' };

/**
 * The terminal routes an operator's permissions guard, by method and route, and what each asks. The routes belong to
 * the refunds and settlements modules; the check is written once at the edge (STYLE.md: cross-cutting at the edge).
 * Starting a refund or void is the gate: authorizing, resending and cancelling a started one need nothing more.
 */
export function operatorActionOf(method: string, route: string, body: unknown): OperatorAction | undefined {
  if (method === 'POST' && route === '/v1/refunds') {
    const { type, amount } = (body ?? {}) as { type?: unknown; amount?: unknown };
    return { kind: type === 'void' ? 'void' : 'refund', amount: typeof amount === 'number' ? amount : 0 };
  }
  if (method === 'POST' && route === '/v1/settlements') return { kind: 'settle' };
  return undefined;
}

/** Refuse an action the operator may not take: 403 OPERATOR_NOT_PERMITTED, or 422 above the operator's refund cap. */
export function assertOperatorMay(permissions: OperatorPermissions, action: OperatorAction): void {
  const allowed =
    action.kind === 'refund'
      ? permissions.mayRefund
      : action.kind === 'void'
        ? permissions.mayVoid
        : permissions.maySettle;
  if (!allowed) throw AppError.from(ProvisioningErrors, 'OPERATOR_NOT_PERMITTED', { action: action.kind });
  if (action.kind !== 'settle' && permissions.refundCap !== null && action.amount > permissions.refundCap) {
    throw AppError.from(ProvisioningErrors, 'OPERATOR_REFUND_CAP_EXCEEDED', {
      param: 'amount',
      refund_cap: permissions.refundCap,
    });
  }
}
