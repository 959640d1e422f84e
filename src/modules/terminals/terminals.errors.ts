import { defineErrors } from '../../lib/errors.js';

export const TerminalErrors = defineErrors({
  TERMINAL_KEY_INVALID: { status: 401, zh: '终端密钥无效', en: 'Missing or invalid terminal key' },
  ACTIVATION_CODE_INVALID: { status: 400, zh: '激活码无效或已过期', en: 'Activation code is invalid, used or expired' },
  OPERATOR_CREDENTIALS_INVALID: { status: 401, zh: '操作员号或密码错误', en: 'Wrong operator number or password' },
  OPERATOR_LOCKED: {
    status: 423,
    zh: '签到错误次数过多，请稍后再试或请店长解锁',
    en: 'Too many wrong sign-ins: try later or ask a manager to unlock',
  },
  TERMINAL_RETIRED: { status: 409, zh: '终端已停用', en: 'The terminal is retired' },
  OPERATOR_SESSION_REQUIRED: { status: 401, zh: '请先签到', en: 'Operator session missing or expired' },
});
