import { defineErrors } from '../../lib/errors.js';

export const ProvisioningErrors = defineErrors({
  LOGIN_TAKEN: { status: 409, zh: '登录名已被使用', en: 'This login id is already taken' },
  RATE_PLAN_UNKNOWN: { status: 422, zh: '费率方案不存在', en: 'No such rate plan' },
  ROLE_NOT_ALLOWED: {
    status: 403,
    zh: '您不能创建或管理该角色的员工',
    en: 'You may not create or manage staff of this role',
  },
  STAFF_STORES_INVALID: {
    status: 422,
    zh: '门店范围无效：店主不限门店，店长和收银员须在您管理的门店内',
    en: 'Store scope not allowed for this role or outside yours',
  },
  STAFF_DISABLED: { status: 409, zh: '该员工已停用', en: 'This staff member is disabled' },
  STAFF_NOT_INVITED: { status: 409, zh: '该员工已设置密码，无需邀请', en: 'This person has already accepted' },
  CANNOT_DISABLE_SELF: { status: 409, zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
  STAFF_NOT_IN_STORE: {
    status: 422,
    zh: '该员工不在此门店的范围内',
    en: 'The staff member does not work in this store',
  },
  STAFF_PHONE_MISSING: {
    status: 422,
    zh: '该员工没有手机号，无法发送操作员初始密码',
    en: 'The staff member has no phone for the initial operator password',
  },
  OPERATOR_NO_TAKEN: { status: 409, zh: '该门店已有此操作员号', en: 'This operator number is taken in this store' },
  OPERATOR_NOT_PERMITTED: {
    status: 403,
    zh: '该操作员无权执行此操作',
    en: 'This operator is not allowed to do this',
  },
  OPERATOR_REFUND_CAP_EXCEEDED: {
    status: 422,
    zh: '超出该操作员的单笔退款上限',
    en: 'Above this operator’s refund cap',
  },
});
