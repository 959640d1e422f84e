import { defineErrors } from '../../lib/errors.js';

export const TerminalErrors = defineErrors({
  TERMINAL_KEY_INVALID: { status: 401, message: '终端密钥无效 / Missing or invalid terminal key' },
  ACTIVATION_CODE_INVALID: { status: 400, message: '激活码无效或已过期 / Activation code is invalid, used or expired' },
  OPERATOR_CREDENTIALS_INVALID: { status: 401, message: '操作员号或密码错误 / Wrong operator number or password' },
  OPERATOR_LOCKED: {
    status: 423,
    message: '签到错误次数过多，请稍后再试或请店长解锁 / Too many wrong sign-ins: try later or ask a manager to unlock',
  },
  TERMINAL_RETIRED: { status: 409, message: '终端已停用 / The terminal is retired' },
  OPERATOR_SESSION_REQUIRED: { status: 401, message: '请先签到 / Operator session missing or expired' },
});
