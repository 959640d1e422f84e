import { defineErrors } from '../../lib/errors.js';

export const AuthErrors = defineErrors({
  LOGIN_FAILED: { status: 401, message: '登录名或密码错误 / Wrong login id or password' },
  LOGIN_LOCKED: { status: 423, message: '尝试次数过多，请稍后再试 / Too many attempts, try again later' },
  SESSION_EXPIRED: { status: 401, message: '会话已过期，请重新登录 / Session expired, sign in again' },
  CSRF_INVALID: { status: 403, message: '缺少或无效的 CSRF 令牌 / Missing or invalid X-CSRF-Token' },
  REAUTH_REQUIRED: { status: 401, message: '请重新验证密码后再操作 / Re-enter your password to continue' },
  REAUTH_FAILED: { status: 401, message: '密码错误 / Wrong password' },
  PASSWORD_TOO_WEAK: { status: 422, message: '密码强度不足 / Password is too weak' },
});
