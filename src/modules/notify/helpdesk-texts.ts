import type { TemplateFn } from './template-types.js';

// Messages of the help paths (issue 15): the code that proves the owner's phone before a forgotten refund key is
// replaced. It carries a secret (sealed in the outbox, erased after delivery: templates.ts SECRET_TEMPLATES).
export const HELPDESK_TEXTS: Record<'zh-CN' | 'en', Record<string, TemplateFn>> = {
  'zh-CN': {
    refund_key_recovery_code: (p) => ({
      subject: '找回退款密钥验证码',
      lines: [
        `验证码：${p.text('code')}`,
        `用于重设退款密钥，北京时间 ${p.clock('expires_at')} 前有效，仅可使用一次。`,
        '如非本人操作，请立即联系客服。',
      ],
      sms: `重设退款密钥验证码${p.text('code')}，${p.clock('expires_at')}前有效。勿告知他人。`,
    }),
  },
  en: {
    refund_key_recovery_code: (p) => ({
      subject: 'Refund key reset code',
      lines: [
        `Code: ${p.text('code')}`,
        `It resets the refund key; valid until ${p.clock('expires_at')} Beijing time, once.`,
        'If it was not you, contact support now.',
      ],
      sms: `Refund key reset code ${p.text('code')}, valid until ${p.clock('expires_at')}. Never share it.`,
    }),
  },
};
