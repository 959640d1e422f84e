import { defineErrors } from '../../lib/errors.js';

export const AuthErrors = defineErrors({
  LOGIN_FAILED: { status: 401, zh: '登录名或密码错误', en: 'Wrong login id or password' },
  LOGIN_LOCKED: { status: 423, zh: '尝试次数过多，请稍后再试', en: 'Too many attempts, try again later' },
  SESSION_EXPIRED: { status: 401, zh: '会话已过期，请重新登录', en: 'Session expired, sign in again' },
  CSRF_INVALID: { status: 403, zh: '缺少或无效的 CSRF 令牌', en: 'Missing or invalid X-CSRF-Token' },
  REAUTH_REQUIRED: { status: 401, zh: '请重新验证密码后再操作', en: 'Re-enter your password to continue' },
  REAUTH_FAILED: { status: 401, zh: '密码错误', en: 'Wrong password' },
  PASSWORD_TOO_WEAK: { status: 422, zh: '密码强度不足', en: 'Password is too weak' },
});
