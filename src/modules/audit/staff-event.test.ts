// The audit event of a person's action: the person is its actor and their address its origin; its merchant is the
// person's unless the action was on another merchant's case, ticket or application (then the one given, null too).
import { describe, expect, it } from 'vitest';
import { staffActor, staffEvent } from './staff-event.js';

const owner = { userId: 'usr_1', merchantId: 'mer_1', ip: '203.0.113.7' };
const agent = { userId: 'usr_2', merchantId: null, ip: '198.51.100.2' };

describe('staffEvent', () => {
  it('is a success on the person’s merchant, with only the fields given', () => {
    expect(staffEvent(owner, 'x.done')).toEqual({
      merchantId: 'mer_1',
      actor: { type: 'user', id: 'usr_1' },
      event: 'x.done',
      outcome: 'success',
      origin: '203.0.113.7',
    });
  });

  it('carries outcome, object and detail as given', () => {
    const event = staffEvent(owner, 'x.refused', {
      outcome: 'failure',
      object: { type: 'thing', id: 't_1' },
      detail: { reason: 'NO' },
    });
    expect(event).toMatchObject({ outcome: 'failure', object: { type: 'thing', id: 't_1' }, detail: { reason: 'NO' } });
  });

  it('is on the merchant given when the person acted on another merchant’s case, or on none when null', () => {
    expect(staffEvent(agent, 'x.checked', { merchantId: 'mer_9' }).merchantId).toBe('mer_9');
    expect(staffEvent(owner, 'x.reviewed', { merchantId: null }).merchantId).toBeNull();
    expect(staffEvent(agent, 'x.searched').merchantId).toBeNull();
  });

  it('staffActor: a person without a session acts from the address given', () => {
    expect(staffActor({ id: 'usr_1', merchantId: 'mer_1' }, '203.0.113.7')).toEqual(owner);
  });
});
