// The attempts module as other modules see it: they import it only through this file (docs/architecture.md).

export type { AttemptRule } from './attempt-rules.js';
export {
  KEY_CHANGE_PER_USER,
  LOGIN_PER_ID,
  OPERATOR_PIN_PER_OPERATOR,
  OPERATOR_PIN_PER_TERMINAL,
  PASSWORD_RESET_PER_LOGIN,
  REFUND_AUTH_PER_MERCHANT,
  REFUND_CODE_PER_REFUND,
  REFUND_KEY_PER_TERMINAL,
  SECOND_FACTOR_PER_USER,
} from './attempt-rules.js';
export type { AttemptSubject, AttemptTicket } from './attempts.service.js';
export { AttemptLimiter } from './attempts.service.js';
export { merchantRefundSubject, refundCodeSubject, refundLockSeconds, terminalKeySubject } from './refund-locks.js';
