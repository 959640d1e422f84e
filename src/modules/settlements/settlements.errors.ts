import { defineErrors } from '../../lib/errors.js';

export const SettlementErrors = defineErrors({
  SETTLEMENT_IN_PROGRESS: { status: 409, zh: '该批次正在结算', en: 'This batch is being settled' },
  BATCH_EMPTY: {
    status: 422,
    zh: '当前批次没有交易，未结算；确需关闭空批次请发送 {"allow_empty": true}',
    en: 'The open batch has no transactions and was not settled; send {"allow_empty": true} to close it anyway',
  },
});
