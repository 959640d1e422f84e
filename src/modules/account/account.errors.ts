import { defineErrors } from '../../lib/errors.js';

// One's own account (issue 12 items 5 and 6): password change and reset, sessions, contact and language.
export const AccountErrors = defineErrors({
  RESET_INVALID: {
    status: 401,
    zh: '验证码或链接无效、已使用或已过期',
    en: 'The reset code or link is wrong, used or expired',
  },
  RESET_LOCKED: { status: 423, zh: '尝试次数过多，请稍后再试', en: 'Too many attempts, try again later' },
  PASSWORD_IS_REFUND_KEY: {
    status: 422,
    zh: '登录密码不能与退款密钥相同',
    en: 'The login password must differ from the refund key',
  },
  SESSION_NOT_FOUND: { status: 404, zh: '会话不存在', en: 'No such session of yours' },
});
