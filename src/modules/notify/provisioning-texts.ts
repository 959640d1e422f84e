import type { TemplateFn } from './template-types.js';

// Messages of provisioning (issue 12): an invitation to set one's own password, and an operator's initial password.
// Both carry a secret (sealed in the outbox, erased after delivery: templates.ts SECRET_TEMPLATES).
export const PROVISIONING_TEXTS: Record<'zh-CN' | 'en', Record<string, TemplateFn>> = {
  'zh-CN': {
    staff_invitation: (p) => ({
      subject: `邀请您加入 ${p.text('merchant')}`,
      lines: [
        `${p.text('name')}，您好：${p.text('merchant')} 邀请您使用 refundkey 后台，登录名：${p.text('login')}。`,
        `邀请码：${p.text('token')}`,
        `请在 ${p.time('expires_at')}（北京时间）前打开后台“接受邀请”，输入邀请码并设置您自己的密码。邀请码仅可使用一次。`,
        '如非本人，请忽略本消息；请勿将邀请码告知任何人。',
      ],
      sms: `${p.text('merchant')}邀请您使用refundkey后台，登录名${p.text('login')}，邀请码${p.text('token')}，${p.time('expires_at')}前有效，仅可使用一次。请勿告知他人。`,
    }),
    operator_password: (p) => ({
      subject: `操作员号 ${p.text('operator_no')} 已开通`,
      lines: [
        `${p.text('name')}，您在门店 ${p.text('store')} 的操作员号 ${p.text('operator_no')} 已开通。`,
        `初始密码：${p.text('password')}`,
        '请勿告知任何人，包括店长和客服。',
      ],
      sms: `您在门店${p.text('store')}的操作员号${p.text('operator_no')}已开通，初始密码${p.text('password')}。请勿告知任何人。`,
    }),
  },
  en: {
    staff_invitation: (p) => ({
      subject: `You are invited to ${p.text('merchant')}`,
      lines: [
        `Hello ${p.text('name')}: ${p.text('merchant')} invites you to the refundkey back office, login id ${p.text('login')}.`,
        `Invitation code: ${p.text('token')}`,
        `Before ${p.time('expires_at')} (Beijing time), open "Accept invitation" in the back office, enter the code and choose your own password. The code works once.`,
        'If this is not for you, ignore this message; never share the code.',
      ],
      sms: `${p.text('merchant')} invites you to refundkey, login ${p.text('login')}, code ${p.text('token')}, valid until ${p.time('expires_at')}, once. Never share it.`,
    }),
    operator_password: (p) => ({
      subject: `Operator number ${p.text('operator_no')} is ready`,
      lines: [
        `${p.text('name')}, your operator number ${p.text('operator_no')} at ${p.text('store')} is ready.`,
        `Initial password: ${p.text('password')}`,
        'Never share it, not even with a manager or support.',
      ],
      sms: `Your operator number ${p.text('operator_no')} at ${p.text('store')} is ready; initial password ${p.text('password')}. Never share it.`,
    }),
  },
};
