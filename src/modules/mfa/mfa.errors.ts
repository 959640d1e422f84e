import { defineErrors } from '../../lib/errors.js';

// Second factors (issue 12 item 3; docs/security.md "Sessions and MFA", "Attempt limits").
export const MfaErrors = defineErrors({
  SECOND_FACTOR_FAILED: { status: 401, zh: '验证码错误或已使用', en: 'Wrong or already used code' },
  SECOND_FACTOR_LOCKED: {
    status: 423,
    zh: '验证码错误次数过多，请稍后再试',
    en: 'Too many wrong codes, try again later',
  },
  SECOND_FACTOR_METHOD_UNAVAILABLE: {
    status: 422,
    zh: '此验证方式未启用',
    en: 'This second-factor method is not set up for this account',
  },
  SECOND_FACTOR_ENROLMENT_REQUIRED: {
    status: 403,
    zh: '请先设置第二重验证（验证器应用、短信或通行密钥）',
    en: 'Set up a second factor (authenticator app, SMS or passkey) first',
  },
  SECOND_FACTOR_ALREADY_ENROLLED: { status: 409, zh: '此验证方式已启用', en: 'This second factor is already set up' },
  SECOND_FACTOR_NOT_ENROLLED: { status: 409, zh: '此验证方式未启用', en: 'This second factor is not set up' },
  SECOND_FACTOR_LAST: {
    status: 409,
    zh: '您的角色必须保留至少一种第二重验证方式',
    en: 'Your role must keep at least one second factor',
  },
  SMS_CODE_LIMIT: { status: 429, zh: '验证码发送次数过多', en: 'Too many codes sent; sign in again' },
  SMS_SEND_LIMIT: {
    status: 429,
    zh: '短信验证码发送过于频繁，请稍后再试或使用其他验证方式',
    en: 'Too many SMS codes sent to you; try again later or use another method',
  },
  PASSKEY_FAILED: {
    status: 401,
    zh: '通行密钥验证失败（需要指纹、面容或设备密码）',
    en: 'The passkey was not accepted (fingerprint, face or device PIN required)',
  },
  PASSKEY_NOT_FOUND: { status: 404, zh: '没有这个通行密钥', en: 'No such passkey' },
  PASSKEY_ALREADY_REGISTERED: { status: 409, zh: '此通行密钥已登记', en: 'This passkey is already registered' },
  PHONE_CHANGE_NOT_STARTED: {
    status: 409,
    zh: '没有待验证的新手机号，请先提交新号码',
    en: 'No new phone is waiting for its code; send the new number first',
  },
  NO_PHONE: { status: 422, zh: '账户没有手机号', en: 'The account has no phone number' },
});
