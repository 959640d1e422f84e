import { defineErrors } from '../../lib/errors.js';

export const NotifyErrors = defineErrors({
  MESSAGE_NOT_FOUND: { status: 404, message: '消息不存在 / Message not found' },
  MESSAGE_NOT_RETRYABLE: {
    status: 409,
    message: '只能重试失败或排队中的消息 / Only failed or queued messages can be retried',
  },
  MESSAGE_SECRET_ERASED: {
    status: 409,
    message: '该消息中的验证码已清除，请重新发送验证码 / The code in this message was erased; issue a new code instead',
  },
  WEBHOOK_ENDPOINT_NOT_FOUND: { status: 404, message: 'Webhook 端点不存在 / Webhook endpoint not found' },
  WEBHOOK_URL_INVALID: {
    status: 400,
    message: 'Webhook 地址无效（生产环境须为 https）/ Invalid webhook URL (https in production)',
  },
  WEBHOOK_EVENT_UNKNOWN: { status: 400, message: '未知的 Webhook 事件 / Unknown webhook event' },
});
