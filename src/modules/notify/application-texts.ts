import type { Params, TemplateFn } from './template-types.js';

// Messages of merchant applications (在线申请, issue 15 item 5): the code that proves the applicant's phone, the
// status link sent on submission (the applicant's only key to the application), the activation codes of the approved
// merchant's terminals (to the owner only), and the reviewer's decision. The first three carry secrets (sealed in the
// outbox, erased after delivery: templates.ts SECRET_TEMPLATES).
const statusZh = (p: Params) => (p.text('status') === 'rejected' ? '未通过审核' : '需要补充资料');
const statusEn = (p: Params) => (p.text('status') === 'rejected' ? 'was not approved' : 'needs more information');

export const APPLICATION_TEXTS: Record<'zh-CN' | 'en', Record<string, TemplateFn>> = {
  'zh-CN': {
    application_phone_code: (p) => ({
      subject: '商户入网申请验证码',
      lines: [`验证码：${p.text('code')}`, `用于验证申请手机号，北京时间 ${p.clock('expires_at')} 前有效。`],
      sms: `商户入网申请验证码${p.text('code')}，北京时间${p.clock('expires_at')}前有效。勿告知他人。`,
    }),
    application_status_link: (p) => ({
      subject: '入网申请已提交：申请状态链接',
      lines: [
        `${p.text('business_name')} 的入网申请已提交，我们会尽快审核。`,
        `申请状态链接：${p.text('link')}`,
        '通过此链接查看审核进度；需要补充资料时也在此修改。此链接是查看申请的唯一凭证，请勿转发他人。',
      ],
      sms: `${p.text('business_name')}的入网申请已提交。查看进度或补充资料：${p.text('link')} 请勿转发他人。`,
    }),
    application_terminals: (p) => ({
      subject: `${p.text('merchant')}：终端激活码`,
      lines: [
        `您的入网申请已通过，已为 ${p.text('merchant')} 开通 ${p.text('count')} 台终端。`,
        `激活码：${p.text('codes')}`,
        `请在北京时间 ${p.time('expires_at')} 前在终端上输入激活码，每个激活码仅可使用一次。请勿告知他人。`,
      ],
      sms: `入网申请已通过，${p.text('count')}台终端激活码：${p.text('codes')}，北京时间${p.time('expires_at')}前有效，勿告知他人。`,
    }),
    application_status: (p) => ({
      subject: `入网申请${statusZh(p)}`,
      lines: [
        `${p.text('business_name')} 的入网申请${statusZh(p)}。`,
        `说明：${p.text('note')}`,
        '请通过申请状态链接查看。',
      ],
      sms: `${p.text('business_name')}的入网申请${statusZh(p)}：${p.text('note')}。请通过申请状态链接查看。`,
    }),
  },
  en: {
    application_phone_code: (p) => ({
      subject: 'Merchant application code',
      lines: [`Code: ${p.text('code')}`, `It verifies your phone; valid until ${p.clock('expires_at')} Beijing time.`],
      sms: `Merchant application code ${p.text('code')}, valid until ${p.clock('expires_at')} Beijing time. Never share it.`,
    }),
    application_status_link: (p) => ({
      subject: 'Merchant application submitted: your status link',
      lines: [
        `The application of ${p.text('business_name')} was submitted; we will review it soon.`,
        `Status link: ${p.text('link')}`,
        'Follow the review there, and change the details there when more information is asked for. The link is your only key to the application: never share it.',
      ],
      sms: `The application of ${p.text('business_name')} was submitted. Status and changes: ${p.text('link')} Never share it.`,
    }),
    application_terminals: (p) => ({
      subject: `${p.text('merchant')}: terminal activation codes`,
      lines: [
        `Your application was approved: ${p.text('count')} terminals for ${p.text('merchant')}.`,
        `Activation codes: ${p.text('codes')}`,
        `Enter each on its terminal before ${p.time('expires_at')} (Beijing time); each works once. Never share them.`,
      ],
      sms: `Application approved. Activation codes for ${p.text('count')} terminals: ${p.text('codes')}. Valid until ${p.time('expires_at')} Beijing time.`,
    }),
    application_status: (p) => ({
      subject: `Your merchant application ${statusEn(p)}`,
      lines: [
        `The application of ${p.text('business_name')} ${statusEn(p)}.`,
        `Note: ${p.text('note')}`,
        'Open your status link to see it.',
      ],
      sms: `The application of ${p.text('business_name')} ${statusEn(p)}: ${p.text('note')}. See your status link.`,
    }),
  },
};
