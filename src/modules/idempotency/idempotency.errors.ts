import { defineErrors } from '../../lib/errors.js';

export const IdempotencyErrors = defineErrors({
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    message: '缺少 Idempotency-Key 请求头 / Idempotency-Key header (1-255 chars) is required',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: '该幂等键已用于不同的请求 / This Idempotency-Key was used with a different request',
  },
  IDEMPOTENCY_REQUEST_IN_PROGRESS: {
    status: 409,
    message: '相同请求正在处理中 / A request with this Idempotency-Key is still in progress',
  },
});
