import { defineErrors } from '../../lib/errors.js';

// The step between the password and the second factor (issue 12 item 3).
export const PendingLoginErrors = defineErrors({
  SECOND_FACTOR_REQUIRED: {
    status: 401,
    zh: '需要第二重验证，请通过 POST /v1/auth/login 登录',
    en: 'A second factor is required; sign in through POST /v1/auth/login',
  },
  PENDING_LOGIN_INVALID: {
    status: 401,
    zh: '登录已过期或已使用，请重新输入密码',
    en: 'The sign-in expired or was already used; enter your password again',
  },
});
