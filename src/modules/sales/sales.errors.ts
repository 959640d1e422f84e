import { defineErrors } from '../../lib/errors.js';

export const SalesErrors = defineErrors({
  CARD_NUMBER_INVALID: { status: 400, zh: '卡号校验失败', en: 'Card number fails the Luhn check' },
  CARD_BRAND_UNSUPPORTED: { status: 400, zh: '不支持的卡组织', en: 'Card brand not accepted' },
  CARD_EXPIRED: { status: 400, zh: '卡片已过期', en: 'Card expired' },
  AUTH_CODE_INVALID: { status: 400, zh: '付款码与钱包不符', en: 'auth_code does not match the wallet' },
  CASH_TENDERED_TOO_LOW: { status: 400, zh: '实收金额小于应收', en: 'tendered is less than amount' },
  SALE_NOT_FOUND: { status: 404, zh: '交易不存在', en: 'Sale not found' },
});
