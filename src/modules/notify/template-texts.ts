import { ACCOUNT_TEXTS } from './account-texts.js';
import { APPLICATION_TEXTS } from './application-texts.js';
import { HELPDESK_TEXTS } from './helpdesk-texts.js';
import { PROVISIONING_TEXTS } from './provisioning-texts.js';
import { RECIPIENT_TEXTS } from './recipient-texts.js';

import type { Params, TemplateFn, TemplateText } from './template-types.js';

export type { Params, TemplateFn, TemplateText };

// The names a delivery fills in from the ids a message was queued with (see message-directory.ts).
const STORE = ['store', 'store_name'];
const TERMINAL = ['terminal_name'];
const OPERATOR_NO = ['operator_no'];
const OPERATOR_NAME = ['operator_name'];

const storeZh = (p: Params) => (p.has(...STORE) ? p.text(...STORE) : '');
const terminalZh = (p: Params) => (p.has(...TERMINAL) ? `终端${p.text(...TERMINAL)}` : '终端');
const operatorZh = (p: Params) =>
  `操作员${p.has(...OPERATOR_NO) ? p.text(...OPERATOR_NO) : ''}${p.has(...OPERATOR_NAME) ? ` ${p.text(...OPERATOR_NAME)}` : ''}`;
const lockScopeZh = (p: Params) => (p.text('scope') === 'merchant' ? '全部' : `${storeZh(p)}${terminalZh(p)}的`);
const kindZh = (p: Params) => (p.text('type') === 'void' ? '撤销' : '退款');

const storeEn = (p: Params) => (p.has(...STORE) ? p.text(...STORE) : 'your store');
const terminalEn = (p: Params) => (p.has(...TERMINAL) ? `terminal ${p.text(...TERMINAL)}` : 'a terminal');
const operatorEn = (p: Params) =>
  `operator ${p.has(...OPERATOR_NO) ? p.text(...OPERATOR_NO) : ''}${p.has(...OPERATOR_NAME) ? ` (${p.text(...OPERATOR_NAME)})` : ''}`.trim();
const lockScopeEn = (p: Params) =>
  p.text('scope') === 'merchant' ? 'of the whole merchant' : `on ${terminalEn(p)} at ${storeEn(p)}`;
const kindEn = (p: Params) => (p.text('type') === 'void' ? 'Void' : 'Refund');

/** Optional e-mail lines: only what is known. */
const known = (...lines: Array<string | false>) => lines.filter((line): line is string => Boolean(line));

// Every SMS begins with the carrier-registered signature (SMS_SIGNATURE), prepended by the renderer.
const zhCN: Record<string, TemplateFn> = {
  refund_code: (p) => ({
    subject: `${kindZh(p)}验证码：${p.yuan('amount_fen', 'amount')}（${storeZh(p) || '您的门店'}）`,
    lines: known(
      `${kindZh(p)}验证码：${p.text('code')}`,
      `金额：${p.yuan('amount_fen', 'amount')}`,
      p.has(...STORE) && `门店：${p.text(...STORE)}`,
      p.has(...TERMINAL) && `终端：${p.text(...TERMINAL)}`,
      p.has(...OPERATOR_NO) && `${operatorZh(p).replace('操作员', '操作员：')}`,
      p.ref('sale_ref') !== '—' && `原交易：尾号 ${p.ref('sale_ref')}`,
      `有效期至：${p.time('expires_at')}（北京时间），仅限本笔${kindZh(p)}使用一次。`,
      '如非本人发起，请勿将验证码告知任何人。',
    ),
    // One SMS part (70 characters with the signature): the sale reference, then the store, give way if needed.
    sms: [
      `${kindZh(p)}验证码${p.text('code')}，${p.yuan('amount_fen', 'amount')}，${storeZh(p)}，原交易尾号${p.ref('sale_ref')}，北京时间${p.clock('expires_at')}前有效，勿告知他人。`,
      `${kindZh(p)}验证码${p.text('code')}，${p.yuan('amount_fen', 'amount')}，${storeZh(p)}，北京时间${p.clock('expires_at')}前有效，勿告知他人。`,
      `${kindZh(p)}验证码${p.text('code')}，${p.yuan('amount_fen', 'amount')}，北京时间${p.clock('expires_at')}前有效，勿告知他人。`,
    ].filter((text) => !text.includes('，，')),
  }),
  refund_lockout: (p) => ({
    subject: '退款已锁定',
    lines: known(
      `因多次输入错误，${lockScopeZh(p)}退款已锁定至 ${p.time('locked_until', 'until')}（北京时间）。`,
      p.has(...STORE) && `门店：${p.text(...STORE)}`,
      p.has(...TERMINAL) && `终端：${p.text(...TERMINAL)}`,
      '如非本人操作，请立即更换退款密钥。',
    ),
    sms: `因多次输入错误，${lockScopeZh(p)}退款已锁定至北京时间${p.time('locked_until', 'until')}。如非本人操作，请立即更换退款密钥。`,
  }),
  operator_lockout: (p) => ({
    subject: '操作员签到已锁定',
    lines: [
      p.text('scope') === 'operator'
        ? `${storeZh(p)}${terminalZh(p)}上${operatorZh(p)}多次输入错误密码，签到已锁定至 ${p.time('locked_until', 'until')}（北京时间）。`
        : `${storeZh(p)}${terminalZh(p)}多次输入错误的操作员密码，签到已锁定至 ${p.time('locked_until', 'until')}（北京时间）。`,
      '如非本店员工操作，请检查终端；店长或老板可在后台解锁。',
    ],
    sms: `${storeZh(p)}${terminalZh(p)}${p.text('scope') === 'operator' ? operatorZh(p) : '操作员'}签到多次错误，已锁定至北京时间${p.time('locked_until', 'until')}。如非本店操作请检查终端。`,
  }),
  approval_requested: (p) => ({
    subject: `待审批退款：${p.yuan('amount_fen', 'amount')}`,
    lines: known(
      `${storeZh(p)}${terminalZh(p)}申请退款 ${p.yuan('amount_fen', 'amount')}，需要您审批。`,
      p.has(...OPERATOR_NO) && `发起人：${operatorZh(p)}`,
      `原交易：尾号 ${p.ref('sale_ref')}；原因：${p.text('reason')}`,
      `请于 ${p.time('expires_at')}（北京时间）前审批。`,
    ),
    sms: `${storeZh(p)}${terminalZh(p)}申请退款${p.yuan('amount_fen', 'amount')}（原交易尾号${p.ref('sale_ref')}，原因：${p.text('reason')}），请于北京时间${p.time('expires_at')}前登录后台审批。`,
  }),
  refund_key_changed: (p) => ({
    subject: '退款密钥已修改',
    lines: [
      `您${p.has(...STORE) ? `门店${p.text(...STORE)}` : ''}的退款密钥已于 ${p.time('at')}（北京时间）修改。`,
      '如非本人操作，请立即联系客服。',
    ],
    sms: `您${p.has(...STORE) ? `门店${p.text(...STORE)}` : ''}的退款密钥已于北京时间${p.time('at')}修改。如非本人操作，请立即联系客服。`,
  }),
  key_age_reminder: (p) => ({
    subject: '请更换退款密钥',
    lines: [
      `您${p.has(...STORE) ? `门店${p.text(...STORE)}` : ''}的退款密钥将于 ${p.time('expires_at')}（北京时间）到期，请登录后台更换。`,
    ],
    sms: `您${p.has(...STORE) ? `门店${p.text(...STORE)}` : ''}的退款密钥将于北京时间${p.time('expires_at')}到期，请登录后台更换。`,
  }),
  login_new_device: (p) => ({
    subject: '新设备登录提醒',
    lines: [
      `您的账号于 ${p.time('at')}（北京时间）在新设备登录：${p.text('device')}，IP ${p.text('ip')}。`,
      '如非本人操作，请立即修改密码。',
    ],
    sms: `您的账号于北京时间${p.time('at')}在新设备登录（${p.text('device')}）。如非本人操作，请立即修改密码。`,
  }),
  velocity_alert: (p) => ({
    subject: '退款频率异常提醒',
    lines: known(
      `${operatorZh(p)}在 ${p.text('window_minutes')} 分钟内发起 ${p.text('count')} 笔退款。`,
      p.has(...STORE) && `门店：${p.text(...STORE)}`,
      p.has(...TERMINAL) && `终端：${p.text(...TERMINAL)}`,
      `最近一笔：${p.yuan('last_amount', 'amount')}`,
    ),
    sms: `${operatorZh(p)}在${p.text('window_minutes')}分钟内发起${p.text('count')}笔退款（${storeZh(p)}${terminalZh(p)}，最近一笔${p.yuan('last_amount', 'amount')}），请核实。`,
  }),
  recovery_code: (p) => ({
    subject: '账户恢复验证码',
    lines: [
      `验证码：${p.text('code')}`,
      `有效期至：${p.time('expires_at')}（北京时间）。`,
      '请勿告知任何人，客服不会向您索取验证码。',
    ],
    sms: `账户恢复验证码${p.text('code')}，北京时间${p.time('expires_at')}前有效。请勿告知任何人。`,
  }),
};

const en: Record<string, TemplateFn> = {
  refund_code: (p) => ({
    subject: `${kindEn(p)} code: ${p.yuan('amount_fen', 'amount')} (${storeEn(p)})`,
    lines: known(
      `${kindEn(p)} code: ${p.text('code')}`,
      `Amount: ${p.yuan('amount_fen', 'amount')}`,
      p.has(...STORE) && `Store: ${p.text(...STORE)}`,
      p.has(...TERMINAL) && `Terminal: ${p.text(...TERMINAL)}`,
      p.has(...OPERATOR_NO) && `Operator: ${operatorEn(p).replace(/^operator /, '')}`,
      p.ref('sale_ref') !== '—' && `Sale: ending ${p.ref('sale_ref')}`,
      `Valid until ${p.time('expires_at')} (Beijing time), once, for this ${kindEn(p).toLowerCase()} only.`,
      'If you did not start this refund, do not share the code with anyone.',
    ),
    sms: [
      `${kindEn(p)} code ${p.text('code')} for ${p.yuan('amount_fen', 'amount')} at ${storeEn(p)}, sale ending ${p.ref('sale_ref')}. Valid until ${p.clock('expires_at')} Beijing time. Do not share it.`,
      `${kindEn(p)} code ${p.text('code')} for ${p.yuan('amount_fen', 'amount')}, valid until ${p.clock('expires_at')} Beijing time. Do not share it.`,
    ],
  }),
  refund_lockout: (p) => ({
    subject: 'Refunds locked',
    lines: known(
      `After repeated wrong entries, refunds ${lockScopeEn(p)} are locked until ${p.time('locked_until', 'until')} (Beijing time).`,
      p.has(...STORE) && `Store: ${p.text(...STORE)}`,
      'If this was not you, change the refund key now.',
    ),
    sms: `Refunds ${lockScopeEn(p)} are locked until ${p.time('locked_until', 'until')} Beijing time after repeated wrong entries. If this was not you, change the refund key now.`,
  }),
  operator_lockout: (p) => ({
    subject: 'Operator sign-in locked',
    lines: [
      p.text('scope') === 'operator'
        ? `After repeated wrong passwords, ${operatorEn(p)} cannot sign in on ${terminalEn(p)} at ${storeEn(p)} until ${p.time('locked_until', 'until')} (Beijing time).`
        : `After repeated wrong operator passwords, sign-in on ${terminalEn(p)} at ${storeEn(p)} is locked until ${p.time('locked_until', 'until')} (Beijing time).`,
      'If this was not your staff, check the terminal; an owner or manager can unlock it in the back office.',
    ],
    sms: `Operator sign-in on ${terminalEn(p)} at ${storeEn(p)} is locked until ${p.time('locked_until', 'until')} Beijing time after repeated wrong passwords.`,
  }),
  approval_requested: (p) => ({
    subject: `Refund awaiting approval: ${p.yuan('amount_fen', 'amount')}`,
    lines: known(
      `${terminalEn(p).replace(/^./, (c) => c.toUpperCase())} at ${storeEn(p)} asks to refund ${p.yuan('amount_fen', 'amount')} and needs your approval.`,
      p.has(...OPERATOR_NO) && `Requested by ${operatorEn(p)}`,
      `Sale: ending ${p.ref('sale_ref')}; reason: ${p.text('reason')}`,
      `Please decide before ${p.time('expires_at')} (Beijing time).`,
    ),
    sms: `${terminalEn(p).replace(/^./, (c) => c.toUpperCase())} at ${storeEn(p)} asks to refund ${p.yuan('amount_fen', 'amount')} (sale ending ${p.ref('sale_ref')}, reason: ${p.text('reason')}). Please approve in the back office before ${p.time('expires_at')} Beijing time.`,
  }),
  refund_key_changed: (p) => ({
    subject: 'Refund key changed',
    lines: [
      `The refund key${p.has(...STORE) ? ` of ${p.text(...STORE)}` : ''} was changed at ${p.time('at')} (Beijing time).`,
      'If this was not you, contact support now.',
    ],
    sms: `The refund key${p.has(...STORE) ? ` of ${p.text(...STORE)}` : ''} was changed at ${p.time('at')} Beijing time. If this was not you, contact support now.`,
  }),
  key_age_reminder: (p) => ({
    subject: 'Please change your refund key',
    lines: [
      `The refund key${p.has(...STORE) ? ` of ${p.text(...STORE)}` : ''} expires at ${p.time('expires_at')} (Beijing time). Please change it in the back office.`,
    ],
    sms: `The refund key${p.has(...STORE) ? ` of ${p.text(...STORE)}` : ''} expires at ${p.time('expires_at')} Beijing time. Please change it in the back office.`,
  }),
  login_new_device: (p) => ({
    subject: 'Sign-in from a new device',
    lines: [
      `Your account signed in from a new device at ${p.time('at')} (Beijing time): ${p.text('device')}, IP ${p.text('ip')}.`,
      'If this was not you, change your password now.',
    ],
    sms: `Your account signed in from a new device (${p.text('device')}) at ${p.time('at')} Beijing time. If this was not you, change your password now.`,
  }),
  velocity_alert: (p) => ({
    subject: 'Unusual refund activity',
    lines: known(
      `${operatorEn(p).replace(/^./, (c) => c.toUpperCase())} started ${p.text('count')} refunds within ${p.text('window_minutes')} minutes.`,
      p.has(...STORE) && `Store: ${p.text(...STORE)}`,
      p.has(...TERMINAL) && `Terminal: ${p.text(...TERMINAL)}`,
      `Last: ${p.yuan('last_amount', 'amount')}`,
    ),
    sms: `${operatorEn(p).replace(/^./, (c) => c.toUpperCase())} started ${p.text('count')} refunds within ${p.text('window_minutes')} minutes (${terminalEn(p)} at ${storeEn(p)}, last ${p.yuan('last_amount', 'amount')}). Please check.`,
  }),
  recovery_code: (p) => ({
    subject: 'Account recovery code',
    lines: [
      `Code: ${p.text('code')}`,
      `Valid until ${p.time('expires_at')} (Beijing time).`,
      'Never share it; support will never ask for it.',
    ],
    sms: `Account recovery code ${p.text('code')}, valid until ${p.time('expires_at')} Beijing time. Never share it.`,
  }),
};

export const TEMPLATES: Record<'zh-CN' | 'en', Record<string, TemplateFn>> = {
  'zh-CN': {
    ...zhCN,
    ...PROVISIONING_TEXTS['zh-CN'],
    ...ACCOUNT_TEXTS['zh-CN'],
    ...HELPDESK_TEXTS['zh-CN'],
    ...APPLICATION_TEXTS['zh-CN'],
    ...RECIPIENT_TEXTS['zh-CN'],
  },
  en: {
    ...en,
    ...PROVISIONING_TEXTS.en,
    ...ACCOUNT_TEXTS.en,
    ...HELPDESK_TEXTS.en,
    ...APPLICATION_TEXTS.en,
    ...RECIPIENT_TEXTS.en,
  },
};
