import { defineErrors } from '../../lib/errors.js';

export const RefundErrors = defineErrors({
  SALE_NOT_FOUND: { status: 404, message: '原交易不存在 / Sale not found' },
  REFUND_OTHER_STORE: {
    status: 403,
    message: '该交易属于其他门店，请在原门店退款 / This sale belongs to another store: refund it there',
  },
  REFUND_NOT_FOUND: { status: 404, message: '退款不存在 / Refund not found' },
  SALE_NOT_REFUNDABLE: { status: 422, message: '原交易不可退款（未成功或已撤销）/ Sale did not succeed or was voided' },
  REFUND_EXCEEDS_REFUNDABLE: { status: 422, message: '退款金额超过可退金额 / Amount exceeds the refundable amount' },
  REFUND_LIMIT_REACHED: { status: 422, message: '该交易退款次数已达上限（50 次）/ At most 50 refunds per sale' },
  REFUND_WINDOW_EXPIRED: { status: 422, message: '已超过可退款期限 / The refund window for this sale has passed' },
  VOID_NOT_ALLOWED: {
    status: 422,
    message:
      '撤销仅限本终端当前批次的全额交易 / A void is a full-amount cancel of a sale in this terminal’s open batch',
  },
  REFUND_OTHER_TERMINAL: {
    status: 403,
    message: '退款须在发起终端完成 / Authorize the refund on the terminal that started it',
  },
  REFUND_NOT_AUTHORIZABLE: {
    status: 409,
    message: '退款当前状态不可授权 / The refund is not waiting for authorization',
  },
  REFUND_NOT_CANCELABLE: { status: 409, message: '退款当前状态不可取消 / The refund can no longer be canceled' },
  REFUND_EXPIRED: { status: 409, message: '退款授权已超时 / The refund expired before it was authorized' },
});
