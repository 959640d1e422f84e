import { defineErrors } from '../../lib/errors.js';

export const RefundErrors = defineErrors({
  SALE_NOT_FOUND: { status: 404, zh: '原交易不存在', en: 'Sale not found' },
  REFUND_OTHER_STORE: {
    status: 403,
    zh: '该交易属于其他门店，请在原门店退款',
    en: 'This sale belongs to another store: refund it there',
  },
  REFUND_NOT_FOUND: { status: 404, zh: '退款不存在', en: 'Refund not found' },
  SALE_NOT_REFUNDABLE: {
    status: 422,
    zh: '原交易不可退款（未成功或已撤销）',
    en: 'Sale did not succeed or was voided',
  },
  REFUND_EXCEEDS_REFUNDABLE: { status: 422, zh: '退款金额超过可退金额', en: 'Amount exceeds the refundable amount' },
  REFUND_LIMIT_REACHED: { status: 422, zh: '该交易退款次数已达上限（50 次）', en: 'At most 50 refunds per sale' },
  REFUND_WINDOW_EXPIRED: { status: 422, zh: '已超过可退款期限', en: 'The refund window for this sale has passed' },
  VOID_NOT_ALLOWED: {
    status: 422,
    zh: '撤销仅限本终端当前批次的全额交易',
    en: 'A void is a full-amount cancel of a sale in this terminal’s open batch',
  },
  REFUND_OTHER_TERMINAL: {
    status: 403,
    zh: '退款须在发起终端完成',
    en: 'Authorize the refund on the terminal that started it',
  },
  REFUND_NOT_AUTHORIZABLE: {
    status: 409,
    zh: '退款当前状态不可授权',
    en: 'The refund is not waiting for authorization',
  },
  REFUND_NOT_CANCELABLE: { status: 409, zh: '退款当前状态不可取消', en: 'The refund can no longer be canceled' },
  REFUND_EXPIRED: { status: 409, zh: '退款授权已超时', en: 'The refund expired before it was authorized' },
});
