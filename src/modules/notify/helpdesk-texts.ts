import type { Params, TemplateFn } from './template-types.js';

// Messages of the help paths (issue 15): the code that proves the owner's phone before a forgotten refund key is
// replaced. It carries a secret (sealed in the outbox, erased after delivery: templates.ts SECRET_TEMPLATES).

// What the owner does on "Reset account" depends on the case's kind (support.table.ts SupportCaseKind): a forgotten
// refund key keeps the password, a lost phone names the new number. An unknown kind reads as a locked-out owner.
type CaseKind = 'locked_out_owner' | 'lost_phone' | 'forgotten_key' | 'lost_second_factor';
const STEPS_ZH: Record<CaseKind, string> = {
  locked_out_owner: '设置新的登录密码，并重新绑定第二重验证',
  lost_second_factor: '设置新的登录密码；原有的第二重验证全部失效，登录后请绑定新的',
  lost_phone: '设置新的登录密码并填写新手机号（公示期满后生效），登录后重新绑定第二重验证',
  forgotten_key: '登录后设置新的退款密钥；登录密码和第二重验证不变',
};
const STEPS_EN: Record<CaseKind, string> = {
  locked_out_owner: 'set a new password and a new second factor',
  lost_second_factor: 'set a new password; every old second factor stops working, so set up a new one when you sign in',
  lost_phone:
    'set a new password and your new phone number (it takes effect after a notice period), then a new second factor',
  forgotten_key: 'sign in and set a new refund key; your password and second factor stay as they are',
};
const kindOf = (p: Params): CaseKind => {
  const kind = p.text('kind');
  return Object.hasOwn(STEPS_ZH, kind) ? (kind as CaseKind) : 'locked_out_owner';
};

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
      subject: `客服已核验您的身份：${kindOf(p) === 'forgotten_key' ? '重设退款密钥' : '重设登录凭据'}`,
      lines: [
        `客服工单 ${p.text('case_no')} 已由两位客服核验并批准。`,
        `重设码：${p.text('token')}`,
        ...(p.has('link') ? [`打开链接重设：${p.text('link')}`] : []),
        `请在北京时间 ${p.time('expires_at')} 前打开后台“重设账户”，${STEPS_ZH[kindOf(p)]}。仅可使用一次。`,
        '如非本人申请，请立即联系客服。',
      ],
      sms: `客服工单${p.text('case_no')}已批准，重设码${p.text('token')}，北京时间${p.time('expires_at')}前有效，仅限一次。勿告知他人。`,
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
      subject: `Support verified you: reset your ${kindOf(p) === 'forgotten_key' ? 'refund key' : 'credentials'}`,
      lines: [
        `Support case ${p.text('case_no')} was checked and approved by two agents.`,
        `Reset code: ${p.text('token')}`,
        ...(p.has('link') ? [`Open to reset: ${p.text('link')}`] : []),
        `Before ${p.time('expires_at')} (Beijing time), open "Reset account" in the back office: ${STEPS_EN[kindOf(p)]}. Once only.`,
        'If you did not ask for this, contact support now.',
      ],
      sms: `Support case ${p.text('case_no')} approved. Reset code ${p.text('token')}, valid until ${p.time('expires_at')} Beijing time, once. Never share it.`,
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
