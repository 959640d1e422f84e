import type { TemplateFn } from './template-types.js';

// Messages of the help paths (issue 15): the code that proves the owner's phone before a forgotten refund key is
// replaced. It carries a secret (sealed in the outbox, erased after delivery: templates.ts SECRET_TEMPLATES).
export const HELPDESK_TEXTS: Record<'zh-CN' | 'en', Record<string, TemplateFn>> = {
  'zh-CN': {
    support_phone_change_notice: (p) => ({
      subject: '账户手机号即将更换',
      lines: [
        `经客服工单核验，您账户的手机号将于北京时间 ${p.time('effective_at')} 更换为 ${p.text('new_phone')}。`,
        '在此之前，验证短信仍发往本号码。',
        '如非本人申请，请立即致电客服取消此次更换。',
      ],
      sms: `您的账户手机号将于${p.time('effective_at')}更换为${p.text('new_phone')}。如非本人申请，请立即致电客服取消。`,
    }),
    announcement_urgent: (p) => ({
      subject: `紧急公告：${p.text('title')}`,
      lines: [p.text('title'), p.text('body'), `有效期至北京时间 ${p.time('ends_at')}。请登录后台确认已读。`],
      sms: [`紧急公告：${p.text('title')}。${p.text('body')}`, `紧急公告：${p.text('title')}。详情请登录后台查看。`],
    }),
    ticket_status_changed: (p) => ({
      subject: `售后工单 ${p.ref('ticket_id')}：${p.text('status_label')}`,
      lines: [
        `您的售后工单 ${p.ref('ticket_id')}（${p.text('category_label')}）状态：${p.text('status_label')}。`,
        p.has('reply') ? `客服回复：${p.text('reply')}` : '请登录后台查看详情。',
      ],
      sms: `售后工单${p.ref('ticket_id')}状态：${p.text('status_label')}，详情请登录后台查看。`,
    }),
    support_reset_link: (p) => ({
      subject: '客服已核验您的身份：重设登录凭据',
      lines: [
        `客服工单 ${p.text('case_id')} 已由两位客服核验并批准。`,
        `重设码：${p.text('token')}`,
        `请在北京时间 ${p.time('expires_at')} 前打开后台“重设账户”，设置新密码并重新绑定第二重验证。仅可使用一次。`,
        '如非本人申请，请立即联系客服。',
      ],
      sms: `客服工单${p.text('case_id')}已批准，重设码${p.text('token')}，北京时间${p.time('expires_at')}前有效，仅限一次。勿告知他人。`,
    }),
    refund_key_recovery_code: (p) => ({
      subject: '找回退款密钥验证码',
      lines: [
        `验证码：${p.text('code')}`,
        `用于重设退款密钥，北京时间 ${p.clock('expires_at')} 前有效，仅可使用一次。`,
        '如非本人操作，请立即联系客服。',
      ],
      sms: `重设退款密钥验证码${p.text('code')}，北京时间${p.clock('expires_at')}前有效。勿告知他人。`,
    }),
  },
  en: {
    support_phone_change_notice: (p) => ({
      subject: 'Your account phone is about to change',
      lines: [
        `After a support case, the phone of your account changes to ${p.text('new_phone')} on ${p.time('effective_at')} (Beijing time).`,
        'Until then, codes still go to this number.',
        'If you did not ask for this, call support now to stop it.',
      ],
      sms: `Your account phone changes to ${p.text('new_phone')} on ${p.time('effective_at')}. Not you? Call support now to stop it.`,
    }),
    announcement_urgent: (p) => ({
      subject: `Urgent notice: ${p.text('title')}`,
      lines: [
        p.text('title'),
        p.text('body'),
        `Valid until ${p.time('ends_at')} (Beijing time). Please acknowledge it in the back office.`,
      ],
      sms: [`Urgent: ${p.text('title')}. ${p.text('body')}`, `Urgent: ${p.text('title')}. See the back office.`],
    }),
    ticket_status_changed: (p) => ({
      subject: `After-sales ticket ${p.ref('ticket_id')}: ${p.text('status_label')}`,
      lines: [
        `Your after-sales ticket ${p.ref('ticket_id')} (${p.text('category_label')}) is now: ${p.text('status_label')}.`,
        p.has('reply') ? `Support replied: ${p.text('reply')}` : 'See the back office for details.',
      ],
      sms: `After-sales ticket ${p.ref('ticket_id')}: ${p.text('status_label')}. See the back office.`,
    }),
    support_reset_link: (p) => ({
      subject: 'Support verified you: reset your credentials',
      lines: [
        `Support case ${p.text('case_id')} was checked and approved by two agents.`,
        `Reset code: ${p.text('token')}`,
        `Before ${p.time('expires_at')} (Beijing time), open "Reset account" in the back office, set a new password and a new second factor. Once only.`,
        'If you did not ask for this, contact support now.',
      ],
      sms: `Support case ${p.text('case_id')} approved. Reset code ${p.text('token')}, valid until ${p.time('expires_at')} Beijing time, once. Never share it.`,
    }),
    refund_key_recovery_code: (p) => ({
      subject: 'Refund key reset code',
      lines: [
        `Code: ${p.text('code')}`,
        `It resets the refund key; valid until ${p.clock('expires_at')} Beijing time, once.`,
        'If it was not you, contact support now.',
      ],
      sms: `Refund key reset code ${p.text('code')}, valid until ${p.clock('expires_at')} Beijing time. Never share it.`,
    }),
  },
};
