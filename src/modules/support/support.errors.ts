import { defineErrors } from '../../lib/errors.js';

/** Errors of the support desk (support.service.ts). */
export const SupportErrors = defineErrors({
  SUPPORT_CASE_NOT_FOUND: { status: 404, zh: '工单不存在', en: 'No such support case' },
  SUPPORT_OWNER_NOT_FOUND: { status: 422, zh: '该商户没有可联系的店主', en: 'The merchant has no reachable owner' },
  SUPPORT_FULL_NUMBER_REFUSED: {
    status: 422,
    zh: '只记录证件号的后 4 位，请勿输入完整号码',
    en: 'Record only the last 4 characters, never the full number',
  },
  SUPPORT_CASE_EXPIRED: { status: 409, zh: '工单已过期，请重新创建', en: 'The case has expired: open a new one' },
  SUPPORT_CHECKS_MISSING: {
    status: 409,
    zh: '尚未记录身份核验（证件和回拨）',
    en: 'The identity checks (ID document and call-back) are not recorded yet',
  },
  SUPPORT_SELF_APPROVAL: {
    status: 403,
    zh: '创建工单的客服不能审批该工单，需由另一位客服审批',
    en: 'The agent who opened the case cannot approve it: a second agent must',
  },
  SUPPORT_CASE_NOT_APPROVABLE: { status: 409, zh: '工单已审批', en: 'The case is already approved' },
  SUPPORT_RATE_LIMITED: {
    status: 429,
    zh: '操作过于频繁，请稍后再试',
    en: 'Too many support actions: try again later',
  },
  SUPPORT_RESET_INVALID: {
    status: 401,
    zh: '重设码错误、已使用或已过期',
    en: 'The reset code is wrong, used or expired',
  },
  SUPPORT_RESET_WRONG_KIND: {
    status: 409,
    zh: '该工单的重设方式不同（忘记退款密钥请登录后重设密钥）',
    en: 'This case resets something else (a forgotten key is reset while signed in)',
  },
  SUPPORT_NEW_PHONE_REQUIRED: {
    status: 422,
    zh: '手机丢失的工单需要填写新手机号',
    en: 'A lost-phone case needs the new phone number',
  },
  SUPPORT_NO_PHONE_CHANGE: { status: 409, zh: '没有待生效的手机号变更', en: 'No phone change is waiting' },
});
