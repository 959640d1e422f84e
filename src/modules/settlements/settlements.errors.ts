import { defineErrors } from '../../lib/errors.js';

export const SettlementErrors = defineErrors({
  SETTLEMENT_IN_PROGRESS: { status: 409, message: '该批次正在结算 / This batch is being settled' },
  BATCH_EMPTY: {
    status: 422,
    message:
      '当前批次没有交易，未结算；确需关闭空批次请发送 {"allow_empty": true} / The open batch has no transactions and was not settled; send {"allow_empty": true} to close it anyway',
  },
});
