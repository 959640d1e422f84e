import { defineErrors } from '../../lib/errors.js';

export const SettlementErrors = defineErrors({
  SETTLEMENT_IN_PROGRESS: { status: 409, message: '该批次正在结算 / This batch is being settled' },
});
