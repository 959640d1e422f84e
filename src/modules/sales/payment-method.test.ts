// A sale booked in the acquirer's transaction takes its state from the answer: approved → succeeded, declined keeps
// its code, no answer (a timeout) or "user still paying" stays pending for reconciliation, cash always succeeds.
import { describe, expect, it } from 'vitest';
import { outcomeOf, type PreparedMethod } from './payment-method.js';

const card: PreparedMethod = {
  instrument: { type: 'bank_card', pan: '4111111111111111', expiry: '12/30', entryMode: 'chip' },
  detail: { type: 'cash', tendered: 0, change: 0 },
  fingerprint: null,
};
const cash: PreparedMethod = {
  instrument: undefined,
  detail: { type: 'cash', tendered: 100, change: 0 },
  fingerprint: null,
};

describe('outcomeOf', () => {
  it('maps the acquirer answer to the booked state', () => {
    expect(outcomeOf(card, { status: 'approved', acquirerRef: 'sbx_1' })).toEqual({
      status: 'succeeded',
      declineCode: null,
      acquirerRef: 'sbx_1',
    });
    expect(outcomeOf(card, { status: 'declined', declineCode: 'do_not_honor', acquirerRef: 'sbx_2' })).toEqual({
      status: 'declined',
      declineCode: 'do_not_honor',
      acquirerRef: 'sbx_2',
    });
    expect(outcomeOf(card, { status: 'pending', acquirerRef: 'sbx_3' }).status).toBe('pending');
    expect(outcomeOf(card, undefined)).toEqual({ status: 'pending', declineCode: null, acquirerRef: null });
    expect(outcomeOf(cash, undefined).status).toBe('succeeded');
  });
});
