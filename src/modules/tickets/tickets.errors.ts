import { defineErrors } from '../../lib/errors.js';

/** Errors of after-sales tickets (tickets.service.ts). */
export const TicketErrors = defineErrors({
  TICKET_NOT_FOUND: { status: 404, zh: '售后工单不存在', en: 'No such ticket' },
  TICKET_TERMINAL_UNKNOWN: { status: 422, zh: '该终端不属于本商户', en: 'No such terminal of this merchant' },
  TICKET_STATUS_NOT_ALLOWED: {
    status: 409,
    zh: '当前状态下不能这样更改工单',
    en: 'The ticket cannot move to this status from its current one',
  },
  TICKET_CLOSED: { status: 409, zh: '工单已关闭', en: 'The ticket is closed' },
});
