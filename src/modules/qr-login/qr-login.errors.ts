import { defineErrors } from '../../lib/errors.js';

// QR login (扫码登录, issue 12 item 4; docs/security.md "QR login"). An unknown id, a wrong secret and another browser's
// request get the same answer, so none of them tells a guesser anything.
export const QrLoginErrors = defineErrors({
  QR_LOGIN_BROWSER_REQUIRED: {
    status: 401,
    zh: '请在显示二维码的浏览器中查看',
    en: 'Only the browser that showed the QR code can follow it',
  },
  QR_LOGIN_NOT_FOUND: { status: 404, zh: '二维码无效', en: 'No such QR login' },
  QR_LOGIN_EXPIRED: { status: 410, zh: '二维码已过期，请刷新', en: 'The QR code expired; show a new one' },
  QR_LOGIN_ALREADY_USED: {
    status: 409,
    zh: '二维码已被使用或已处理',
    en: 'The QR code was already approved, denied or used',
  },
});
