import type { Params, TemplateFn } from './template-types.js';

// Messages about a person's own account (issue 12 items 3, 5): a second-factor code, a password reset code or link,
// and a notice that a factor, the phone, the e-mail or the password changed, sent to the old channel.
const CHANGE_ZH: Record<string, string> = {
  factor_added: '已添加第二重验证方式',
  factor_removed: '已移除第二重验证方式',
  backup_codes_regenerated: '已重新生成备用码，旧备用码已失效',
  phone_changed: '手机号已更改',
  email_changed: '邮箱已更改',
  password_changed: '登录密码已更改',
  password_reset: '登录密码已通过找回重设，所有会话已退出',
};
const CHANGE_EN: Record<string, string> = {
  factor_added: 'A second factor was added',
  factor_removed: 'A second factor was removed',
  backup_codes_regenerated: 'New backup codes were made; the old ones no longer work',
  phone_changed: 'Your phone number was changed',
  email_changed: 'Your e-mail address was changed',
  password_changed: 'Your password was changed',
  password_reset: 'Your password was reset; every session was signed out',
};
const change = (p: Params, table: Record<string, string>) => table[p.text('change')] ?? p.text('change');

export const ACCOUNT_TEXTS: Record<'zh-CN' | 'en', Record<string, TemplateFn>> = {
  'zh-CN': {
    second_factor_code: (p) => ({
      subject: '登录验证码',
      lines: [
        `验证码：${p.text('code')}`,
        `北京时间 ${p.clock('expires_at')} 前有效，仅可使用一次。`,
        '请勿告知任何人。',
      ],
      sms: `登录验证码${p.text('code')}，${p.clock('expires_at')}前有效。请勿告知任何人。`,
    }),
    phone_verification: (p) => ({
      subject: '更换手机号验证码',
      lines: [
        `验证码：${p.text('code')}`,
        `用于把此号码设为您 refundkey 账户的手机号，北京时间 ${p.clock('expires_at')} 前有效，仅可使用一次。`,
        '如非本人操作，请忽略。',
      ],
      sms: `更换手机号验证码${p.text('code')}，${p.clock('expires_at')}前有效。如非本人操作请忽略。`,
    }),
    password_reset: (p) => ({
      subject: '找回密码',
      lines: [
        `${p.text('name')}，您正在找回登录名 ${p.text('login')} 的密码。`,
        p.has('code') ? `验证码：${p.text('code')}` : `重设令牌：${p.text('token')}`,
        p.has('link') ? `或打开：${p.text('link')}` : '',
        `北京时间 ${p.time('expires_at')} 前有效，仅可使用一次。如非本人操作，请忽略。`,
      ].filter(Boolean),
      sms: `找回密码验证码${p.text('code')}，${p.clock('expires_at')}前有效。如非本人操作请忽略。`,
    }),
    security_notice: (p) => ({
      subject: `账户安全提醒：${change(p, CHANGE_ZH)}`,
      lines: [
        `${p.text('name')}，您的账户（${p.text('login')}）：${change(p, CHANGE_ZH)}。`,
        `时间：${p.time('at')}（北京时间）。`,
        '如非本人操作，请立即联系店主或平台。',
      ],
      sms: `账户安全提醒：${change(p, CHANGE_ZH)}（${p.clock('at')}）。如非本人操作，请立即联系店主。`,
    }),
  },
  en: {
    second_factor_code: (p) => ({
      subject: 'Sign-in code',
      lines: [`Code: ${p.text('code')}`, `Valid until ${p.clock('expires_at')} Beijing time, once.`, 'Never share it.'],
      sms: `Sign-in code ${p.text('code')}, valid until ${p.clock('expires_at')}. Never share it.`,
    }),
    phone_verification: (p) => ({
      subject: 'Confirm your new phone',
      lines: [
        `Code: ${p.text('code')}`,
        `It makes this number your refundkey account's phone; valid until ${p.clock('expires_at')} Beijing time, once.`,
        'If it was not you, ignore this message.',
      ],
      sms: `Code ${p.text('code')} confirms your new phone, valid until ${p.clock('expires_at')}. Not you? Ignore it.`,
    }),
    password_reset: (p) => ({
      subject: 'Reset your password',
      lines: [
        `${p.text('name')}, a password reset was asked for login ${p.text('login')}.`,
        p.has('code') ? `Code: ${p.text('code')}` : `Reset token: ${p.text('token')}`,
        p.has('link') ? `Or open: ${p.text('link')}` : '',
        `Valid until ${p.time('expires_at')} (Beijing time), once. If it was not you, ignore this message.`,
      ].filter(Boolean),
      sms: `Password reset code ${p.text('code')}, valid until ${p.clock('expires_at')}. Not you? Ignore it.`,
    }),
    security_notice: (p) => ({
      subject: `Account security: ${change(p, CHANGE_EN)}`,
      lines: [
        `${p.text('name')}, on your account (${p.text('login')}): ${change(p, CHANGE_EN)}.`,
        `When: ${p.time('at')} (Beijing time).`,
        'If this was not you, contact the owner or the platform at once.',
      ],
      sms: `Account security: ${change(p, CHANGE_EN)} (${p.clock('at')}). Not you? Contact the owner at once.`,
    }),
  },
};
