import { defineErrors } from '../../lib/errors.js';

/** Errors of partner banks (banks.service.ts, bank-resets.service.ts). */
export const BankErrors = defineErrors({
  BANK_SIGNATURE_INVALID: {
    status: 401,
    zh: '银行请求签名无效或凭据未知',
    en: 'The bank request signature is invalid or the key is unknown',
  },
  BANK_TIMESTAMP_INVALID: {
    status: 401,
    zh: '请求时间戳缺失或超出 ±5 分钟',
    en: 'The request timestamp is missing or more than 5 minutes away',
  },
  BANK_NONCE_REUSED: {
    status: 409,
    zh: '该随机数已被使用（重放请求被拒绝）',
    en: 'This nonce was already used: replay refused',
  },
  BANK_MERCHANT_NOT_FOUND: {
    status: 404,
    zh: '该商户不存在或不在本行结算',
    en: 'No such merchant settling to this bank',
  },
  BANK_NOT_FOUND: { status: 422, zh: '合作银行不存在', en: 'No such partner bank' },
});
