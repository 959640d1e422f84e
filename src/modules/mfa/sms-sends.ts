import { HOUR } from '../../lib/clock.js';
import type { AttemptRule } from '../attempts/index.js';

/**
 * At most 10 second-factor SMS codes (sign-in and enrolment) per person within an hour, then none for an hour: each
 * sign-in may ask for 3, but a person could start many sign-ins, and every SMS costs money and disturbs the phone's
 * owner (SMS pumping). Counted through the attempt limiter before the code is made, so a burst sends no more than 10.
 */
export const SMS_SENDS_PER_USER: AttemptRule = {
  name: 'sms_send',
  limit: 10,
  windowMs: HOUR,
  lockMs: HOUR,
  successClears: false,
};
