import type { Selectable } from 'kysely';

export type TicketCategory = 'device_fault' | 'settlement' | 'refund_dispute' | 'other';
export type TicketStatus = 'open' | 'answered' | 'in_progress' | 'resolved' | 'closed';

/** An after-sales ticket (售后) of a merchant. */
export interface TicketsTable {
  id: string;
  merchant_id: string;
  opened_by: string;
  category: TicketCategory;
  terminal_id: string | null;
  status: TicketStatus;
  created_at: number;
  updated_at: number;
}

/** A message or a status change on a ticket; the history is these in order. */
export interface TicketEventsTable {
  id: string;
  ticket_id: string;
  kind: 'message' | 'status';
  author_id: string;
  author_side: 'merchant' | 'support';
  text: string | null;
  status_from: TicketStatus | null;
  status_to: TicketStatus | null;
  created_at: number;
}

export type TicketRow = Selectable<TicketsTable>;
export type TicketEventRow = Selectable<TicketEventsTable>;
