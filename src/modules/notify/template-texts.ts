/**
 * Parameter reader handed to each template: each accessor takes one or more names and uses the first one present
 * (callers name things differently: `terminal` or `terminal_id`); a missing value renders as a dash.
 */
export interface Params {
  text(...names: string[]): string;
  /** Fen as ¥12.34; an already formatted "¥12.34" is kept. */
  yuan(...names: string[]): string;
  /** An ISO time or epoch ms, in Beijing time. */
  time(...names: string[]): string;
  has(...names: string[]): boolean;
}

/** One message in one language: e-mail subject, lines of the body (text and HTML), and the SMS text. */
export interface TemplateText {
  subject: string;
  lines: string[];
  sms: string;
}

export type TemplateFn = (p: Params) => TemplateText;

const lockScopeZh = (p: Params) =>
  p.text('scope') === 'merchant' || !p.has('terminal', 'terminal_id')
    ? '全部'
    : `终端 ${p.text('terminal', 'terminal_id')} 的`;
const lockScopeEn = (p: Params) =>
  p.text('scope') === 'merchant' || !p.has('terminal', 'terminal_id')
    ? 'of the whole merchant'
    : `on terminal ${p.text('terminal', 'terminal_id')}`;

// Every SMS begins with the signature 【refundkey】 (required by Chinese carriers); it is prepended by the renderer.
const zhCN: Record<string, TemplateFn> = {
  refund_code: (p) => ({
    subject: `${p.text('type') === 'void' ? '撤销' : '退款'}验证码：${p.yuan('amount_fen', 'amount')}（${p.text('store', 'store_id')}）`,
    lines: [
      `${p.text('type') === 'void' ? '撤销' : '退款'}验证码：${p.text('code')}`,
      `金额：${p.yuan('amount_fen', 'amount')}`,
      `门店：${p.text('store', 'store_id')}`,
      `终端：${p.text('terminal', 'terminal_id')}`,
      `原交易：${p.text('sale_ref')}`,
      `有效期至：${p.time('expires_at')}（北京时间），仅限本笔退款使用一次。`,
      '如非本人发起，请勿将验证码告知任何人。',
    ],
    sms: `${p.text('type') === 'void' ? '撤销' : '退款'}验证码${p.text('code')}，金额${p.yuan('amount_fen', 'amount')}，门店${p.text('store', 'store_id')}，终端${p.text('terminal', 'terminal_id')}，原交易${p.text('sale_ref')}，${p.time('expires_at')}前有效，仅限本笔退款使用。请勿告知他人。`,
  }),
  refund_lockout: (p) => ({
    subject: '退款已锁定',
    lines: [
      `因多次输入错误，${lockScopeZh(p)}退款已锁定至 ${p.time('locked_until', 'until')}（北京时间）。`,
      `门店：${p.text('store', 'store_id')}`,
      '如非本人操作，请立即更换退款密钥。',
    ],
    sms: `因多次输入错误，${lockScopeZh(p)}退款已锁定至${p.time('locked_until', 'until')}。如非本人操作，请立即更换退款密钥。`,
  }),
  operator_lockout: (p) => ({
    subject: '操作员签到已锁定',
    lines: [
      p.text('scope') === 'operator'
        ? `终端 ${p.text('terminal', 'terminal_id')} 上操作员 ${p.text('operator_no')} 多次输入错误密码，签到已锁定至 ${p.time('locked_until', 'until')}（北京时间）。`
        : `终端 ${p.text('terminal', 'terminal_id')} 多次输入错误的操作员密码，签到已锁定至 ${p.time('locked_until', 'until')}（北京时间）。`,
      '如非本店员工操作，请检查终端；店长或老板可在后台解锁。',
    ],
    sms: `终端${p.text('terminal', 'terminal_id')}操作员签到多次错误，已锁定至${p.time('locked_until', 'until')}。如非本店操作请检查终端。`,
  }),
  approval_requested: (p) => ({
    subject: `待审批退款：${p.yuan('amount_fen', 'amount')}`,
    lines: [
      `终端 ${p.text('terminal', 'terminal_id')} 申请退款 ${p.yuan('amount_fen', 'amount')}，需要您审批。`,
      `原交易：${p.text('sale_ref')}；原因：${p.text('reason')}`,
      `请于 ${p.time('expires_at')}（北京时间）前审批。`,
    ],
    sms: `终端${p.text('terminal', 'terminal_id')}申请退款${p.yuan('amount_fen', 'amount')}（原交易${p.text('sale_ref')}），请于${p.time('expires_at')}前登录后台审批。`,
  }),
  refund_key_changed: (p) => ({
    subject: '退款密钥已修改',
    lines: [`您的退款密钥已于 ${p.time('at')}（北京时间）修改。`, '如非本人操作，请立即联系客服。'],
    sms: `您的退款密钥已于${p.time('at')}修改。如非本人操作，请立即联系客服。`,
  }),
  key_age_reminder: (p) => ({
    subject: '请更换退款密钥',
    lines: [`您的退款密钥将于 ${p.time('expires_at')}（北京时间）到期，请登录后台更换。`],
    sms: `您的退款密钥将于${p.time('expires_at')}到期，请登录后台更换。`,
  }),
  login_new_device: (p) => ({
    subject: '新设备登录提醒',
    lines: [
      `您的账号于 ${p.time('at')}（北京时间）在新设备登录：${p.text('device')}，IP ${p.text('ip')}。`,
      '如非本人操作，请立即修改密码。',
    ],
    sms: `您的账号于${p.time('at')}在新设备登录（${p.text('device')}）。如非本人操作，请立即修改密码。`,
  }),
  velocity_alert: (p) => ({
    subject: '退款频率异常提醒',
    lines: [
      `操作员 ${p.text('operator', 'operator_id')} 在 ${p.text('window_minutes')} 分钟内发起 ${p.text('count')} 笔退款。`,
      `门店：${p.text('store', 'store_id')}；终端：${p.text('terminal', 'terminal_id')}；最近一笔：${p.yuan('last_amount', 'amount')}`,
    ],
    sms: `操作员${p.text('operator', 'operator_id')}在${p.text('window_minutes')}分钟内发起${p.text('count')}笔退款（终端${p.text('terminal', 'terminal_id')}，最近一笔${p.yuan('last_amount', 'amount')}），请核实。`,
  }),
  recovery_code: (p) => ({
    subject: '账户恢复验证码',
    lines: [
      `验证码：${p.text('code')}`,
      `有效期至：${p.time('expires_at')}（北京时间）。`,
      '请勿告知任何人，客服不会向您索取验证码。',
    ],
    sms: `账户恢复验证码${p.text('code')}，${p.time('expires_at')}前有效。请勿告知任何人。`,
  }),
};

const en: Record<string, TemplateFn> = {
  refund_code: (p) => ({
    subject: `${p.text('type') === 'void' ? 'Void' : 'Refund'} code: ${p.yuan('amount_fen', 'amount')} (${p.text('store', 'store_id')})`,
    lines: [
      `${p.text('type') === 'void' ? 'Void' : 'Refund'} code: ${p.text('code')}`,
      `Amount: ${p.yuan('amount_fen', 'amount')}`,
      `Store: ${p.text('store', 'store_id')}`,
      `Terminal: ${p.text('terminal', 'terminal_id')}`,
      `Sale: ${p.text('sale_ref')}`,
      `Valid until ${p.time('expires_at')} (Beijing time), once, for this refund only.`,
      'If you did not start this refund, do not share the code with anyone.',
    ],
    sms: `${p.text('type') === 'void' ? 'Void' : 'Refund'} code ${p.text('code')} for ${p.yuan('amount_fen', 'amount')}, store ${p.text('store', 'store_id')}, terminal ${p.text('terminal', 'terminal_id')}, sale ${p.text('sale_ref')}. Valid until ${p.time('expires_at')}, for this refund only. Do not share it.`,
  }),
  refund_lockout: (p) => ({
    subject: 'Refunds locked',
    lines: [
      `After repeated wrong entries, refunds ${lockScopeEn(p)} are locked until ${p.time('locked_until', 'until')} (Beijing time).`,
      `Store: ${p.text('store', 'store_id')}`,
      'If this was not you, change the refund key now.',
    ],
    sms: `Refunds ${lockScopeEn(p)} are locked until ${p.time('locked_until', 'until')} after repeated wrong entries. If this was not you, change the refund key now.`,
  }),
  operator_lockout: (p) => ({
    subject: 'Operator sign-in locked',
    lines: [
      p.text('scope') === 'operator'
        ? `After repeated wrong passwords, operator ${p.text('operator_no')} cannot sign in on terminal ${p.text('terminal', 'terminal_id')} until ${p.time('locked_until', 'until')} (Beijing time).`
        : `After repeated wrong operator passwords, sign-in on terminal ${p.text('terminal', 'terminal_id')} is locked until ${p.time('locked_until', 'until')} (Beijing time).`,
      'If this was not your staff, check the terminal; an owner or manager can unlock it in the back office.',
    ],
    sms: `Operator sign-in on terminal ${p.text('terminal', 'terminal_id')} is locked until ${p.time('locked_until', 'until')} after repeated wrong passwords.`,
  }),
  approval_requested: (p) => ({
    subject: `Refund awaiting approval: ${p.yuan('amount_fen', 'amount')}`,
    lines: [
      `Terminal ${p.text('terminal', 'terminal_id')} asks to refund ${p.yuan('amount_fen', 'amount')} and needs your approval.`,
      `Sale: ${p.text('sale_ref')}; reason: ${p.text('reason')}`,
      `Please decide before ${p.time('expires_at')} (Beijing time).`,
    ],
    sms: `Terminal ${p.text('terminal', 'terminal_id')} asks to refund ${p.yuan('amount_fen', 'amount')} (sale ${p.text('sale_ref')}). Please approve in the back office before ${p.time('expires_at')}.`,
  }),
  refund_key_changed: (p) => ({
    subject: 'Refund key changed',
    lines: [
      `Your refund key was changed at ${p.time('at')} (Beijing time).`,
      'If this was not you, contact support now.',
    ],
    sms: `Your refund key was changed at ${p.time('at')}. If this was not you, contact support now.`,
  }),
  key_age_reminder: (p) => ({
    subject: 'Please change your refund key',
    lines: [`Your refund key expires at ${p.time('expires_at')} (Beijing time). Please change it in the back office.`],
    sms: `Your refund key expires at ${p.time('expires_at')}. Please change it in the back office.`,
  }),
  login_new_device: (p) => ({
    subject: 'Sign-in from a new device',
    lines: [
      `Your account signed in from a new device at ${p.time('at')} (Beijing time): ${p.text('device')}, IP ${p.text('ip')}.`,
      'If this was not you, change your password now.',
    ],
    sms: `Your account signed in from a new device (${p.text('device')}) at ${p.time('at')}. If this was not you, change your password now.`,
  }),
  velocity_alert: (p) => ({
    subject: 'Unusual refund activity',
    lines: [
      `Operator ${p.text('operator', 'operator_id')} started ${p.text('count')} refunds within ${p.text('window_minutes')} minutes.`,
      `Store: ${p.text('store', 'store_id')}; terminal: ${p.text('terminal', 'terminal_id')}; last: ${p.yuan('last_amount', 'amount')}`,
    ],
    sms: `Operator ${p.text('operator', 'operator_id')} started ${p.text('count')} refunds within ${p.text('window_minutes')} minutes (terminal ${p.text('terminal', 'terminal_id')}, last ${p.yuan('last_amount', 'amount')}). Please check.`,
  }),
  recovery_code: (p) => ({
    subject: 'Account recovery code',
    lines: [
      `Code: ${p.text('code')}`,
      `Valid until ${p.time('expires_at')} (Beijing time).`,
      'Never share it; support will never ask for it.',
    ],
    sms: `Account recovery code ${p.text('code')}, valid until ${p.time('expires_at')}. Never share it.`,
  }),
};

export const TEMPLATES: Record<'zh-CN' | 'en', Record<string, TemplateFn>> = { 'zh-CN': zhCN, en };
