import { defineErrors } from '../../lib/errors.js';

/** Errors of notification recipients (recipients.service.ts). */
export const RecipientErrors = defineErrors({
  RECIPIENT_NOT_FOUND: { status: 404, zh: '没有这个通知接收人', en: 'No such notification recipient' },
  RECIPIENT_EXISTS: {
    status: 409,
    zh: '这个手机号或邮箱已是通知接收人',
    en: 'This phone number or e-mail address is already a recipient',
  },
  RECIPIENT_LIMIT: {
    status: 409,
    zh: '通知接收人已达上限（20 个），请先删除不再需要的',
    en: 'The merchant has 20 recipients already; remove one first',
  },
  RECIPIENT_ALREADY_VERIFIED: { status: 409, zh: '该接收人已验证', en: 'This recipient is verified already' },
  RECIPIENT_CODE_INVALID: { status: 422, zh: '验证码错误或已过期', en: 'The code is wrong or expired' },
  RECIPIENT_CODE_BURNED: {
    status: 423,
    zh: '验证码错误次数过多，请删除后重新添加该接收人',
    en: 'Too many wrong codes: remove the recipient and add it again',
  },
  RECIPIENT_CODE_LIMIT: {
    status: 429,
    zh: '验证码发送次数已达上限，请删除后重新添加该接收人',
    en: 'No more codes for this recipient: remove it and add it again',
  },
});
