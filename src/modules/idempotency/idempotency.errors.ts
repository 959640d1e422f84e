import { defineErrors } from '../../lib/errors.js';

export const IdempotencyErrors = defineErrors({
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: '缺少 Idempotency-Key 请求头',
    en: 'Idempotency-Key header (1-255 chars) is required',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    zh: '该幂等键已用于不同的请求',
    en: 'This Idempotency-Key was used with a different request',
  },
  IDEMPOTENCY_REQUEST_IN_PROGRESS: {
    status: 409,
    zh: '相同请求正在处理中',
    en: 'A request with this Idempotency-Key is still in progress',
  },
});
