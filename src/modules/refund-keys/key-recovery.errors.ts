import { defineErrors } from '../../lib/errors.js';

/** Errors of the forgotten-refund-key flow (key-recovery.service.ts). */
export const KeyRecoveryErrors = defineErrors({
  KEY_RECOVERY_SECOND_FACTOR_REQUIRED: {
    status: 403,
    zh: '请先启用第二重验证后再找回退款密钥',
    en: 'Enrol a second factor before resetting a forgotten refund key',
  },
  KEY_RECOVERY_NO_PHONE: {
    status: 422,
    zh: '账户没有登记手机号，无法找回退款密钥，请联系客服',
    en: 'No registered phone: contact support to reset the refund key',
  },
  KEY_RECOVERY_SEND_LIMIT: {
    status: 429,
    zh: '验证码发送次数过多，请稍后再试',
    en: 'Too many codes sent: try again later',
  },
  KEY_RECOVERY_NOT_STARTED: {
    status: 409,
    zh: '请先获取手机验证码',
    en: 'Ask for a code to your registered phone first',
  },
  KEY_RECOVERY_CODE_INVALID: { status: 401, zh: '验证码错误或已失效', en: 'The code is wrong or no longer valid' },
  KEY_RECOVERY_LOCKED: {
    status: 423,
    zh: '验证码错误次数过多，请稍后再试',
    en: 'Too many wrong codes: try again later',
  },
});
