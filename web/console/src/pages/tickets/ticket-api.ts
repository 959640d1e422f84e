import { api, unwrap } from '../../api.js';

export type TicketStatus = 'open' | 'answered' | 'in_progress' | 'resolved' | 'closed';
export type TicketCategory = 'device_fault' | 'settlement' | 'refund_dispute' | 'other';
export const CATEGORIES: TicketCategory[] = ['device_fault', 'settlement', 'refund_dispute', 'other'];
export const STATUSES: TicketStatus[] = ['open', 'answered', 'in_progress', 'resolved', 'closed'];
/** Tag colours that keep WCAG AA contrast (antd's gold, green and orange tags fall below it): blue while support works. */
export const STATUS_COLOURS: Record<TicketStatus, 'blue' | undefined> = {
  open: undefined,
  answered: 'blue',
  in_progress: 'blue',
  resolved: undefined,
  closed: undefined,
};

export const TICKETS_QUERY = ['tickets'] as const;
export const fetchTickets = (status?: TicketStatus) =>
  unwrap(api.GET('/v1/tickets', { params: { query: status ? { status } : {} } }));
export const fetchTicket = (id: string) => unwrap(api.GET('/v1/tickets/{id}', { params: { path: { id } } }));
export type TicketSummary = Awaited<ReturnType<typeof fetchTickets>>['data'][number];
export type TicketView = Awaited<ReturnType<typeof fetchTicket>>;

/**
 * The buttons each side is offered (the server's rules, src/modules/tickets/ticket-rules.ts, decide; a move it refuses
 * is shown as its error): support works a ticket, the merchant closes it or reopens a resolved one.
 */
export const OFFERED_MOVES: Record<'merchant' | 'support', Partial<Record<TicketStatus, TicketStatus[]>>> = {
  support: {
    open: ['in_progress', 'resolved'],
    answered: ['in_progress', 'resolved'],
    in_progress: ['resolved'],
    resolved: ['in_progress'],
  },
  merchant: { open: ['closed'], answered: ['closed'], in_progress: ['closed'], resolved: ['open', 'closed'] },
};
