import { defineErrors } from '../../lib/errors.js';

export const RefundKeyErrors = defineErrors({
  KEY_CONFIRMATION_MISMATCH: {
    status: 422,
    zh: '两次输入的退款密钥不一致',
    en: 'The confirmation does not match the new key',
  },
  KEY_CHANGE_LOCKED: {
    status: 423,
    zh: '原退款密钥错误次数过多，请稍后再试',
    en: 'Too many wrong old keys: try again later',
  },
  REFUND_KEY_TOO_WEAK: { status: 422, zh: '退款密钥强度不足', en: 'The refund key is too weak' },
  REFUND_KEY_EQUALS_LOGIN_PASSWORD: {
    status: 422,
    zh: '退款密钥不能与登录密码相同',
    en: 'The refund key must differ from your login password',
  },
  REFUND_KEY_REUSED: {
    status: 422,
    zh: '不能使用最近用过的 4 个退款密钥',
    en: 'The refund key must differ from the last 4 keys',
  },
  OLD_REFUND_KEY_INVALID: { status: 422, zh: '原退款密钥错误', en: 'The current refund key is wrong' },
  REFUND_KEY_NOT_SET: { status: 409, zh: '尚未设置退款密钥', en: 'No refund key is set for this scope' },
  REFUND_KEY_CHANGED_CONCURRENTLY: {
    status: 409,
    zh: '退款密钥刚被其他人修改，请重试',
    en: 'The key was changed at the same time, try again',
  },
});
