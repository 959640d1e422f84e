import { defineErrors } from '../../lib/errors.js';

export const SalesErrors = defineErrors({
  CARD_NUMBER_INVALID: { status: 400, message: '卡号校验失败 / Card number fails the Luhn check' },
  CARD_BRAND_UNSUPPORTED: { status: 400, message: '不支持的卡组织 / Card brand not accepted' },
  CARD_EXPIRED: { status: 400, message: '卡片已过期 / Card expired' },
  AUTH_CODE_INVALID: { status: 400, message: '付款码与钱包不符 / auth_code does not match the wallet' },
  CASH_TENDERED_TOO_LOW: { status: 400, message: '实收金额小于应收 / tendered is less than amount' },
  SALE_NOT_FOUND: { status: 404, message: '交易不存在 / Sale not found' },
});
