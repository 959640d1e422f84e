import type { Executor } from '../../db/schema.js';
import type { TicketEventRow, TicketRow } from './tickets.table.js';

/** How long a ticket's subject (its first message) is in lists. */
const SUBJECT_LENGTH = 80;

/** What people know a ticket by, instead of internal ids: its merchant, terminal, opener and first words. */
export interface TicketNames {
  merchant: Map<string, string>;
  terminal: Map<string, string>;
  person: Map<string, string>;
  subject: Map<string, string>;
}

/**
 * The names of the merchants, terminals and people that `tickets` and `events` refer to, and each ticket's subject:
 * a few queries for a whole list, so the console shows "POS-1" and "张经理" rather than trm_… and usr_….
 */
export async function ticketNames(db: Executor, tickets: TicketRow[], events: TicketEventRow[] = []) {
  const ids = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))];
  const merchantIds = ids(tickets.map((t) => t.merchant_id));
  const terminalIds = ids(tickets.map((t) => t.terminal_id));
  const personIds = ids([...tickets.map((t) => t.opened_by), ...events.map((e) => e.author_id)]);
  const ticketIds = tickets.map((t) => t.id);
  const [merchants, terminals, people, messages] = await Promise.all([
    merchantIds.length
      ? db.selectFrom('merchants').select(['id', 'name']).where('id', 'in', merchantIds).execute()
      : [],
    terminalIds.length
      ? db.selectFrom('terminals').select(['id', 'name']).where('id', 'in', terminalIds).execute()
      : [],
    personIds.length ? db.selectFrom('users').select(['id', 'name']).where('id', 'in', personIds).execute() : [],
    ticketIds.length
      ? db
          .selectFrom('ticket_events')
          .select(['ticket_id', 'text'])
          .where('ticket_id', 'in', ticketIds)
          .where('kind', '=', 'message')
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      : [],
  ]);
  const subject = new Map<string, string>();
  for (const m of messages) {
    if (subject.has(m.ticket_id) || m.text === null) continue;
    subject.set(m.ticket_id, m.text.length > SUBJECT_LENGTH ? `${m.text.slice(0, SUBJECT_LENGTH - 1)}…` : m.text);
  }
  return {
    merchant: new Map(merchants.map((r) => [r.id, r.name])),
    terminal: new Map(terminals.map((r) => [r.id, r.name])),
    person: new Map(people.map((r) => [r.id, r.name])),
    subject,
  } satisfies TicketNames;
}
