import type { TemplateFn } from './template-types.js';

// The code that proves a merchant's notification recipient (issue 13 item 7) receives messages at this address.
export const RECIPIENT_TEXTS: Record<'zh-CN' | 'en', Record<string, TemplateFn>> = {
  'zh-CN': {
    recipient_verification: (p) => ({
      subject: '通知接收人验证码',
      lines: [
        `验证码：${p.text('code')}`,
        '商户店主把此地址设为 refundkey 的通知接收人（退款审批请求和安全提醒）。',
        `请把验证码告诉店主，北京时间 ${p.clock('expires_at')} 前有效，仅可使用一次。`,
        '如不知情，请忽略：不输入验证码就不会收到通知。',
      ],
      sms: [
        `通知接收人验证码${p.text('code')}，北京时间${p.clock('expires_at')}前有效，用于接收退款审批和安全提醒。如不知情请忽略。`,
        `通知接收人验证码${p.text('code')}，北京时间${p.clock('expires_at')}前有效。如不知情请忽略。`,
      ],
    }),
  },
  en: {
    recipient_verification: (p) => ({
      subject: 'Notification recipient code',
      lines: [
        `Code: ${p.text('code')}`,
        'A merchant owner made this address a refundkey notification recipient (refund approval requests, security alerts).',
        `Tell the owner the code; it is valid until ${p.clock('expires_at')} Beijing time, once.`,
        'If you know nothing of this, ignore it: without the code no notice is sent here.',
      ],
      sms: [
        `Recipient code ${p.text('code')}, valid until ${p.clock('expires_at')}, for refund approvals and alerts.`,
        `Recipient code ${p.text('code')}, valid until ${p.clock('expires_at')}.`,
      ],
    }),
  },
};
