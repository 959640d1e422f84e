import { defineErrors } from '../../lib/errors.js';

export const NotifyErrors = defineErrors({
  MESSAGE_NOT_FOUND: { status: 404, zh: '消息不存在', en: 'Message not found' },
  MESSAGE_NOT_RETRYABLE: {
    status: 409,
    zh: '只能重试失败或排队中的消息',
    en: 'Only failed or queued messages can be retried',
  },
  MESSAGE_SECRET_ERASED: {
    status: 409,
    zh: '该消息中的验证码已清除，请重新发送验证码',
    en: 'The code in this message was erased; issue a new code instead',
  },
  WEBHOOK_ENDPOINT_NOT_FOUND: { status: 404, zh: 'Webhook 端点不存在', en: 'Webhook endpoint not found' },
  WEBHOOK_URL_INVALID: {
    status: 400,
    zh: 'Webhook 地址无效（生产环境须为 https）',
    en: 'Invalid webhook URL (https in production)',
  },
  WEBHOOK_EVENT_UNKNOWN: { status: 400, zh: '未知的 Webhook 事件', en: 'Unknown webhook event' },
});
