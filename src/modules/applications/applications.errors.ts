import { defineErrors } from '../../lib/errors.js';

/** Errors of merchant applications (applications.service.ts, phone-verification.ts, review.service.ts). */
export const ApplicationErrors = defineErrors({
  APPLICATION_CREDIT_CODE_INVALID: {
    status: 400,
    zh: '统一社会信用代码无效（应为 18 位，校验位须正确）',
    en: 'The unified social credit code is invalid (18 characters with a correct check character)',
  },
  APPLICATION_CODE_SEND_LIMIT: {
    status: 429,
    zh: '验证码发送过于频繁，请稍后再试',
    en: 'Too many codes requested: try again later',
  },
  APPLICATION_CODE_INVALID: {
    status: 422,
    zh: '验证码错误或已过期',
    en: 'The code is wrong or expired',
  },
  APPLICATION_PHONE_LOCKED: {
    status: 423,
    zh: '验证码错误次数过多，请稍后再试',
    en: 'Too many wrong codes: try again later',
  },
  APPLICATION_PHONE_NOT_VERIFIED: {
    status: 422,
    zh: '请先通过短信验证码验证手机号',
    en: 'Verify the phone number with the SMS code first',
  },
  APPLICATION_BOT_CHECK_FAILED: {
    status: 422,
    zh: '提交未通过安全校验，请刷新页面后重新填写提交',
    en: 'The submission did not pass the automated-submission check: reload the page and submit again',
  },
  APPLICATION_RATE_LIMITED: {
    status: 429,
    zh: '提交过于频繁，请稍后再试',
    en: 'Too many applications from this network: try again later',
  },
  APPLICATION_NOT_FOUND: { status: 404, zh: '申请不存在', en: 'No such application' },
  APPLICATION_NOT_AMENDABLE: {
    status: 409,
    zh: '只有在审核人员要求补充资料时才能修改申请',
    en: 'The application can be changed only when the reviewer asked for more information',
  },
  APPLICATION_NOT_REVIEWABLE: {
    status: 409,
    zh: '该申请已处理或正在等待申请人补充资料',
    en: 'The application was already decided, or is waiting for the applicant',
  },
});
