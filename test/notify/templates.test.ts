import { describe, expect, it } from 'vitest';
import { renderMessage, SINGLE_SMS_CHARS, shortReference } from '../../src/modules/notify/templates.js';

const AT = '2026-12-01T20:57:00.000Z'; // 12月02日 04:57 in Beijing
const SALE = 'sal_3kJ9mQ2xV7pL0aZ8y7Rw'; // ids as newId makes them: a prefix and 20 base62 characters
const TERMINAL = 'trm_8HsK2mD9qLx0Vb4TnP1c';
const STORE = 'sto_Qw3Er5Ty7Ui9Op1As2Df';
const OPERATOR = 'opr_Zx8Cv6Bn4Mq2Wl9Ek3Rj';
const CASE = 'sca_4Tn7Qw2Lp9Xz3Vb8Km5R'; // a support case number, as the desk and the owner quote it
// What the delivery adds from the directory for those ids (message-directory.ts withNames).
const NAMES = { store: '南京西路店', terminal_name: '1号收银台', operator_no: '03', operator_name: '王芳' };

// The parameters each caller really sends, with the names the delivery adds.
const CALLS: Record<string, Record<string, unknown>> = {
  refund_code: {
    amount: '¥12.34',
    amount_fen: 1234,
    type: 'refund',
    terminal: TERMINAL,
    sale_ref: SALE,
    refund_id: 'ref_Pq9Wm2Xc8Vn4Bz6Lk1Jh',
    operator_id: OPERATOR,
    code_no: 1,
    expires_at: AT,
    code: '123456',
    ...NAMES,
  },
  refund_lockout: { scope: 'terminal', terminal_id: TERMINAL, store_id: STORE, locked_until: AT, ...NAMES },
  operator_lockout: { scope: 'operator', terminal_id: TERMINAL, locked_until: AT, ...NAMES },
  approval_requested: {
    amount: '¥12.34',
    amount_fen: 1234,
    refund_id: 'ref_Pq9Wm2Xc8Vn4Bz6Lk1Jh',
    sale_ref: SALE,
    terminal: TERMINAL,
    operator_id: OPERATOR,
    reason: '退货',
    expires_at: AT,
    ...NAMES,
  },
  refund_key_changed: { at: Date.parse(AT), store_id: null, policy: 'password' },
  key_age_reminder: { expires_at: Date.parse(AT), store_id: STORE, store: '南京西路店' },
  login_new_device: { at: AT, device: 'iPhone Safari', ip: '203.0.113.7' },
  velocity_alert: {
    operator_id: OPERATOR,
    store_id: STORE,
    terminal: TERMINAL,
    count: 3,
    window_minutes: 10,
    last_amount: '¥12.34',
    ...NAMES,
  },
  // Issue 15: announcements, after-sales tickets, merchant applications, the help paths.
  announcement_urgent: { title: '系统升级', body: '今晚 23:00 至 23:30 暂停结算。', ends_at: AT },
  ticket_status_changed: {
    ticket_id: 'tkt_2Zh0HkUTOmq7UaYNmKHY',
    status: 'answered',
    status_label: '客服已回复',
    category_label: '设备故障',
    reply: '请检查纸卷方向后重启终端。',
  },
  application_phone_code: { expires_at: AT, code: '135790' },
  application_status_link: {
    business_name: '厦门鼓浪屿咖啡馆',
    link: 'https://pos.example.com/console/apply/status#aps_Kx9mQ2vL7pZ0aB8y7RwT4nC6dE1fG3hJ5kM2sP0qW9u',
  },
  application_terminals: { merchant: '厦门鼓浪屿咖啡馆', count: 2, expires_at: AT, codes: 'ACT-1234, ACT-5678' },
  application_status: { business_name: '厦门鼓浪屿咖啡馆', status: 'needs_info', note: '请补充营业执照照片' },
  refund_key_recovery_code: { expires_at: AT, code: '864209' },
  support_reset_link: {
    case_no: CASE,
    expires_at: AT,
    token: 'rst-abcdefghijklmnopqrstuv',
    link: 'https://pos.example.com/console/account-reset#code=rst-abcdefghijklmnopqrstuv',
    kind: 'locked_out_owner',
  },
  support_phone_change_notice: { case_id: 'SC-1024', new_phone: '139****0042', effective_at: AT },
  recovery_code: { expires_at: AT, code: '987654' },
  recipient_verification: { expires_at: AT, code: '246810' },
};

const INTERNAL_ID = /\b(opr|sto|trm|sal|ref|mch|usr)_[0-9A-Za-z]{4,}/;

// Issue 4 "Templates": zh-CN by default, en on request; every SMS begins with the signature; nothing left unfilled.
// Issue 10 point 12: no internal id in any text; times in Beijing time, written the Chinese way.
describe('message templates', () => {
  for (const [template, params] of Object.entries(CALLS)) {
    for (const locale of ['zh-CN', 'en'] as const) {
      it(`${template} renders completely in ${locale}, without internal ids`, () => {
        const rendered = renderMessage(template, locale, params);
        expect(rendered.sms.startsWith('【refundkey】')).toBe(true);
        expect(rendered.subject.startsWith('【refundkey】')).toBe(true);
        for (const text of [rendered.sms, rendered.text, rendered.subject]) {
          expect(text).not.toMatch(/undefined|NaN|null|\[object|—/);
          expect(text).not.toMatch(INTERNAL_ID);
        }
        expect(rendered.html).toContain(`<html lang="${locale}">`);
        if (locale === 'zh-CN' && ['at', 'expires_at', 'locked_until'].some((name) => name in params)) {
          expect(rendered.sms).toContain('北京时间');
        }
      });
    }
  }

  it('leaves out a name it does not know rather than showing the id', () => {
    const { sms, text } = renderMessage('velocity_alert', 'zh-CN', {
      operator_id: OPERATOR,
      terminal: TERMINAL,
      count: 3,
      window_minutes: 10,
      last_amount: '¥1.00',
    });
    expect(sms).not.toMatch(INTERNAL_ID);
    expect(text).not.toMatch(INTERNAL_ID);
    expect(sms).toContain('3笔退款');
  });

  it('shows a secret that happens to look like an id: an invitation code of letters and digits only', () => {
    // newSecret gives "inv_" + 43 base64url characters; about one in four has no "-" or "_" and was hidden as an id.
    const token = `inv_${'aB3'.repeat(14)}x`;
    const { sms } = renderMessage('staff_invitation', 'zh-CN', {
      merchant: '小馆',
      name: '张三',
      login: 'zhang',
      token,
    });
    expect(sms).toContain(token);
  });

  // Regression: the case number is an id in shape, so every reset message read "客服工单—已批准": the owner had no
  // number to quote to the desk. It is passed as a declared reference (case_no) and shown whole.
  it('shows the support case number (case_no) whole, and still hides the same id under any other name', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const { sms, text } = renderMessage('support_reset_link', locale, CALLS.support_reset_link ?? {});
      expect(sms).toContain(CASE);
      expect(text).toContain(CASE);
    }
    expect(renderMessage('support_reset_link', 'zh-CN', CALLS.support_reset_link ?? {}).sms).toContain(
      `客服工单${CASE}已批准`,
    );
    const { sms } = renderMessage('staff_invitation', 'zh-CN', { merchant: '小馆', name: '张三', login: CASE });
    expect(sms).not.toContain(CASE);
  });

  // Regression: every reset message told the owner to set a new password, also the one who only forgot the refund key.
  it.each([
    [
      'forgotten_key',
      '登录后设置新的退款密钥；登录密码和第二重验证不变',
      'sign in and set a new refund key; your password',
    ],
    ['lost_phone', '设置新的登录密码并填写新手机号', 'set a new password and your new phone number'],
    ['lost_second_factor', '原有的第二重验证全部失效', 'every old second factor stops working'],
    ['locked_out_owner', '设置新的登录密码，并重新绑定第二重验证', 'set a new password and a new second factor'],
  ])('words the reset message for a %s case', (kind, zh, en) => {
    const params = { ...CALLS.support_reset_link, kind };
    const zhText = renderMessage('support_reset_link', 'zh-CN', params).text;
    const enText = renderMessage('support_reset_link', 'en', params).text;
    expect(zhText).toContain(zh);
    expect(enText).toContain(en);
    // Only a forgotten key keeps the password.
    expect([zhText.includes('新的登录密码'), enText.includes('new password')]).toEqual(
      kind === 'forgotten_key' ? [false, false] : [true, true],
    );
  });

  it('writes dates the Chinese way in Beijing time (12月02日 04:57) and English dates in English', () => {
    expect(renderMessage('refund_lockout', 'zh-CN', CALLS.refund_lockout ?? {}).sms).toContain(
      '锁定至北京时间12月02日 04:57',
    );
    expect(renderMessage('refund_lockout', 'en', CALLS.refund_lockout ?? {}).sms).toContain(
      '02 Dec, 04:57 Beijing time',
    );
  });

  it('e-mails a refund code with every detail: store, terminal, operator, short sale reference and expiry', () => {
    const { text, subject } = renderMessage('refund_code', 'zh-CN', CALLS.refund_code ?? {});
    expect(subject).toBe('【refundkey】退款验证码：¥12.34（南京西路店）');
    for (const line of [
      '退款验证码：123456',
      '金额：¥12.34',
      '门店：南京西路店',
      '终端：1号收银台',
      '操作员：03 王芳',
      '原交易：尾号 Z8y7Rw',
      '有效期至：12月02日 04:57（北京时间）',
    ]) {
      expect(text).toContain(line);
    }
    expect(renderMessage('refund_code', 'zh-CN', { ...CALLS.refund_code, type: 'void' }).sms).toContain(
      '撤销验证码123456',
    );
    expect(
      renderMessage('refund_code', 'zh-CN', { ...CALLS.refund_code, amount: 1234, amount_fen: undefined }).sms,
    ).toContain('¥12.34');
  });

  it('uses the configured signature (SMS_SIGNATURE) on SMS and e-mail subjects', () => {
    const rendered = renderMessage('refund_key_changed', 'zh-CN', CALLS.refund_key_changed ?? {}, {
      signature: '【好店收银】',
    });
    expect(rendered.sms.startsWith('【好店收银】您的退款密钥已于北京时间12月02日 04:57修改')).toBe(true);
    expect(rendered.subject).toBe('【好店收银】退款密钥已修改');
    expect(rendered.sms).not.toContain('refundkey');
  });

  it('shortens a sale id to its last 6 characters', () => {
    expect(shortReference(SALE)).toBe('Z8y7Rw');
    expect(shortReference('abc')).toBe('abc');
  });

  it('escapes HTML in e-mail', () => {
    const { html } = renderMessage('refund_code', 'zh-CN', { ...CALLS.refund_code, store: '<b>店</b>' });
    expect(html).toContain('&#60;b&#62;店&#60;/b&#62;');
    expect(html).not.toContain('<b>店');
  });

  it('refuses an unknown template', () => {
    expect(() => renderMessage('nope', 'zh-CN', {})).toThrow(/unknown message template/);
  });
});

// Issue 10 point 12: the zh-CN one-time-code SMS is ONE part (≤ 70 UCS-2 characters with the signature), billed once
// to every recipient, for realistic store names, amounts and a 6-digit code (it was 142 characters, 3 parts).
describe('the zh-CN code SMS fits one part', () => {
  const stores = [
    '南京西路店',
    '星巴克南京西路店',
    '陆家嘴国金中心店',
    '海底捞火锅(人民广场来福士店)',
    'Manner咖啡静安寺店',
  ];
  for (const store of stores) {
    it(`with the store 「${store}」`, () => {
      const params = { ...CALLS.refund_code, store, amount: '¥1,288.00', amount_fen: 128800, code: '905173' };
      const { sms } = renderMessage('refund_code', 'zh-CN', params);
      expect(sms.length).toBeLessThanOrEqual(SINGLE_SMS_CHARS);
      for (const piece of ['【refundkey】', '退款验证码905173', '¥1,288.00', '北京时间04:57前有效']) {
        expect(sms).toContain(piece);
      }
    });
  }

  it('keeps the store and the sale reference when they fit (a 5-character store name)', () => {
    const { sms } = renderMessage('refund_code', 'zh-CN', {
      ...CALLS.refund_code,
      amount: '¥500.00',
      amount_fen: 50000,
    });
    expect(sms).toBe(
      '【refundkey】退款验证码123456，¥500.00，南京西路店，原交易尾号Z8y7Rw，北京时间04:57前有效，勿告知他人。',
    );
    expect(sms.length).toBeLessThanOrEqual(SINGLE_SMS_CHARS);
  });

  it('keeps the store when only the sale reference must give way', () => {
    const params = { ...CALLS.refund_code, store: '陆家嘴国金中心店', amount: '¥1,288.00', code: '905173' };
    const { sms } = renderMessage('refund_code', 'zh-CN', params);
    expect(sms).toContain('陆家嘴国金中心店');
    expect(sms.length).toBeLessThanOrEqual(SINGLE_SMS_CHARS);
  });

  it('still fits with an 8-digit code and a longer registered signature', () => {
    const params = { ...CALLS.refund_code, code: '90517312', amount: '¥12,888.00' };
    const { sms } = renderMessage('refund_code', 'zh-CN', params, { signature: '【好店收银系统】' });
    expect(sms.length).toBeLessThanOrEqual(SINGLE_SMS_CHARS);
    expect(sms).toContain('90517312');
  });
});
