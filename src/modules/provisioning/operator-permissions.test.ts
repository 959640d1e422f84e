// Operator permissions (issue 12): which terminal request asks for what, and when it is refused.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { ALL_OPERATOR_PERMISSIONS } from '../staff/index.js';
import { assertOperatorMay, operatorActionOf } from './operator-permissions.js';

const codeOf = (run: () => void): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
};

describe('operator permissions', () => {
  it('starting a refund or a void, and settling, are the guarded actions; nothing else is', () => {
    expect(operatorActionOf('POST', '/v1/refunds', { amount: 500 })).toEqual({ kind: 'refund', amount: 500 });
    expect(operatorActionOf('POST', '/v1/refunds', { amount: 500, type: 'void' })).toEqual({
      kind: 'void',
      amount: 500,
    });
    expect(operatorActionOf('POST', '/v1/settlements', undefined)).toEqual({ kind: 'settle' });
    expect(operatorActionOf('POST', '/v1/refunds/:id/authorize', {})).toBeUndefined();
    expect(operatorActionOf('POST', '/v1/sales', { amount: 500 })).toBeUndefined();
    expect(operatorActionOf('GET', '/v1/refunds', {})).toBeUndefined();
  });

  it('each toggle refuses only its own action', () => {
    const refund = { kind: 'refund', amount: 100 } as const;
    const voidIt = { kind: 'void', amount: 100 } as const;
    const settle = { kind: 'settle' } as const;
    const noRefund = { ...ALL_OPERATOR_PERMISSIONS, mayRefund: false };
    expect([refund, voidIt, settle].map((a) => codeOf(() => assertOperatorMay(noRefund, a)))).toEqual([
      'OPERATOR_NOT_PERMITTED',
      undefined,
      undefined,
    ]);
    const noVoid = { ...ALL_OPERATOR_PERMISSIONS, mayVoid: false };
    expect(codeOf(() => assertOperatorMay(noVoid, voidIt))).toBe('OPERATOR_NOT_PERMITTED');
    const noSettle = { ...ALL_OPERATOR_PERMISSIONS, maySettle: false };
    expect(codeOf(() => assertOperatorMay(noSettle, settle))).toBe('OPERATOR_NOT_PERMITTED');
    expect(codeOf(() => assertOperatorMay(noSettle, refund))).toBeUndefined();
  });

  it('the refund cap holds at its exact amount, for refunds and voids alike', () => {
    const capped = { ...ALL_OPERATOR_PERMISSIONS, refundCap: 1_000 };
    expect(codeOf(() => assertOperatorMay(capped, { kind: 'refund', amount: 1_000 }))).toBeUndefined();
    expect(codeOf(() => assertOperatorMay(capped, { kind: 'refund', amount: 1_001 }))).toBe(
      'OPERATOR_REFUND_CAP_EXCEEDED',
    );
    expect(codeOf(() => assertOperatorMay(capped, { kind: 'void', amount: 1_001 }))).toBe(
      'OPERATOR_REFUND_CAP_EXCEEDED',
    );
    expect(codeOf(() => assertOperatorMay({ ...capped, refundCap: 0 }, { kind: 'refund', amount: 1 }))).toBe(
      'OPERATOR_REFUND_CAP_EXCEEDED',
    );
  });
});
