import { defineErrors } from '../../lib/errors.js';

export const InvitationErrors = defineErrors({
  INVITATION_INVALID: {
    status: 400,
    zh: '邀请无效、已使用或已过期，请联系管理员重新邀请',
    en: 'Invitation is invalid, used or expired; ask to be invited again',
  },
  INVITATION_NO_DESTINATION: {
    status: 422,
    zh: '被邀请人需要手机号或电子邮箱',
    en: 'The person needs a phone number or an e-mail address to be invited',
  },
});
