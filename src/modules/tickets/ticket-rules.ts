import type { TicketCategory, TicketStatus } from './tickets.table.js';

/** Who moves a ticket where: support works it, the merchant closes it or reopens a resolved one. */
const MOVES: Record<'merchant' | 'support', Partial<Record<TicketStatus, TicketStatus[]>>> = {
  support: {
    open: ['in_progress', 'resolved'],
    answered: ['in_progress', 'resolved'],
    in_progress: ['resolved'],
    resolved: ['in_progress'],
  },
  merchant: {
    open: ['closed'],
    answered: ['closed'],
    in_progress: ['closed'],
    resolved: ['closed', 'open'],
  },
};

/** True when this side may move a ticket from `from` to `to`. */
export function mayMove(side: 'merchant' | 'support', from: TicketStatus, to: TicketStatus): boolean {
  return MOVES[side][from]?.includes(to) ?? false;
}

export const STATUS_LABELS: Record<TicketStatus, { zh: string; en: string }> = {
  open: { zh: '待处理', en: 'Open' },
  answered: { zh: '客服已回复', en: 'Answered' },
  in_progress: { zh: '处理中', en: 'In progress' },
  resolved: { zh: '已解决', en: 'Resolved' },
  closed: { zh: '已关闭', en: 'Closed' },
};

export const CATEGORY_LABELS: Record<TicketCategory, { zh: string; en: string }> = {
  device_fault: { zh: '设备故障', en: 'Device fault' },
  settlement: { zh: '结算问题', en: 'Settlement question' },
  refund_dispute: { zh: '退款争议', en: 'Refund dispute' },
  other: { zh: '其他', en: 'Other' },
};
