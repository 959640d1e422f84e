import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/modules/notify/templates.js';

const AT = '2026-11-25T02:05:00.000Z'; // 10:05 in Beijing

// The parameters each caller really sends (refund codes, lockouts, approvals, key notices, velocity alerts).
const CALLS: Record<string, Record<string, unknown>> = {
  refund_code: {
    amount: '¥12.34',
    amount_fen: 1234,
    type: 'refund',
    store: '一号店',
    terminal: 'trm_1',
    sale_ref: 'sal_1',
    refund_id: 'ref_1',
    code_no: 1,
    expires_at: AT,
    code: '123456',
  },
  refund_lockout: { scope: 'terminal', terminal_id: 'trm_1', store_id: 'sto_1', locked_until: AT },
  approval_requested: {
    amount: '¥12.34',
    amount_fen: 1234,
    refund_id: 'ref_1',
    sale_ref: 'sal_1',
    terminal: 'trm_1',
    reason: '退货',
    expires_at: AT,
  },
  refund_key_changed: { at: Date.parse(AT), store_id: null, policy: 'password' },
  key_age_reminder: { expires_at: Date.parse(AT), store_id: null },
  login_new_device: { at: AT, device: 'iPhone Safari', ip: '203.0.113.7' },
  velocity_alert: {
    operator_id: 'opr_1',
    store_id: 'sto_1',
    terminal: 'trm_1',
    count: 3,
    window_minutes: 10,
    last_amount: '¥12.34',
  },
  recovery_code: { expires_at: AT, code: '987654' },
};

// Issue 4 "Templates": zh-CN by default, en on request; every SMS begins with 【refundkey】; nothing left unfilled.
describe('message templates', () => {
  for (const [template, params] of Object.entries(CALLS)) {
    for (const locale of ['zh-CN', 'en'] as const) {
      it(`${template} renders completely in ${locale}`, () => {
        const rendered = renderMessage(template, locale, params);
        expect(rendered.sms.startsWith('【refundkey】')).toBe(true);
        expect(rendered.subject.startsWith('【refundkey】')).toBe(true);
        for (const text of [rendered.sms, rendered.text, rendered.subject]) {
          expect(text).not.toMatch(/undefined|NaN|null|\[object|—/);
        }
        expect(rendered.html).toContain(`<html lang="${locale}">`);
      });
    }
  }

  it('says amount, store, terminal, sale reference and expiry in a refund code, in Beijing time', () => {
    const { sms } = renderMessage('refund_code', undefined, CALLS.refund_code ?? {});
    for (const piece of ['123456', '¥12.34', '一号店', 'trm_1', 'sal_1', '10:05']) expect(sms).toContain(piece);
    expect(
      renderMessage('refund_code', 'zh-CN', { ...CALLS.refund_code, amount: 1234, amount_fen: undefined }).sms,
    ).toContain('¥12.34');
    expect(renderMessage('refund_code', 'zh-CN', { ...CALLS.refund_code, type: 'void' }).sms).toContain(
      '撤销验证码123456',
    );
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
