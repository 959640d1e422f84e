import { defineErrors } from '../../lib/errors.js';

export const AuthorizationErrors = defineErrors({
  AUTHORIZATION_FACTOR_MISSING: {
    status: 400,
    zh: '请提供退款密钥或验证码',
    en: 'Send the refund key or code this refund needs',
  },
  REFUND_KEY_NOT_SET: { status: 422, zh: '商户尚未设置退款密钥', en: 'The merchant has not set a refund key' },
  REFUND_KEY_INVALID: { status: 422, zh: '退款密钥错误', en: 'Wrong refund key' },
  REFUNDS_LOCKED: {
    status: 423,
    zh: '退款已被暂时锁定，请稍后再试',
    en: 'Refunds are locked for a while after repeated wrong entries',
  },
  CODE_REQUIRED: { status: 400, zh: '请输入退款验证码', en: 'Enter the one-time refund code' },
  CODE_INVALID: { status: 422, zh: '退款验证码错误', en: 'Wrong one-time refund code' },
  CODE_EXPIRED: { status: 422, zh: '退款验证码已过期，请重新获取', en: 'The one-time code expired; request a new one' },
  CODE_ALREADY_USED: { status: 409, zh: '退款验证码已使用', en: 'The one-time code was already used' },
  CODE_BURNED: { status: 422, zh: '验证码错误次数过多，已失效', en: 'Too many wrong codes: the code no longer works' },
  CODE_NOT_REQUIRED: { status: 409, zh: '此退款无需验证码', en: 'This refund does not need a one-time code' },
  CODE_RESEND_LIMIT: { status: 429, zh: '每笔退款最多发送 3 次验证码', en: 'At most 3 codes per refund' },
  NO_CODE_RECIPIENTS: {
    status: 422,
    zh: '商户没有可接收验证码的手机或邮箱',
    en: 'No owner or manager phone or e-mail to send the code to',
  },
  REFUND_POLICY_INVALID: { status: 400, zh: '退款策略无效', en: 'Invalid refund policy' },
  OPERATOR_DAILY_AMOUNT_EXCEEDED: {
    status: 422,
    zh: '已超过操作员每日退款金额上限',
    en: 'Operator daily refund amount cap reached',
  },
  OPERATOR_DAILY_COUNT_EXCEEDED: {
    status: 422,
    zh: '已超过操作员每日退款笔数上限',
    en: 'Operator daily refund count cap reached',
  },
  STORE_DAILY_AMOUNT_EXCEEDED: {
    status: 422,
    zh: '已超过门店每日退款金额上限',
    en: 'Store daily refund amount cap reached',
  },
  STORE_DAILY_COUNT_EXCEEDED: {
    status: 422,
    zh: '已超过门店每日退款笔数上限',
    en: 'Store daily refund count cap reached',
  },
  REFUND_TENDER_NOT_ALLOWED: {
    status: 422,
    zh: '只能原路退回',
    en: 'Refunds go back to the original tender under this store’s policy',
  },
  CASH_REFUND_CAP_EXCEEDED: { status: 422, zh: '超过现金退款上限', en: 'Amount exceeds the store’s cash refund cap' },
  APPROVAL_NOT_FOUND: { status: 404, zh: '没有待审批的退款', en: 'No pending approval for this refund' },
  APPROVER_IS_REQUESTER: {
    status: 403,
    zh: '审批人不能是退款发起人',
    en: 'The approver must be someone other than the requester',
  },
  APPROVAL_NOT_PENDING: { status: 409, zh: '该审批已处理或已过期', en: 'The approval was already decided or expired' },
});
