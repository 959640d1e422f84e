import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { staffOf } from '../access/index.js';
import type { StaffRole } from '../staff/index.js';
import type { TicketNames } from './ticket-names.js';
import type { Ticket, TicketsService } from './tickets.service.js';

const MERCHANT_STAFF: { auth: 'staff'; roles: StaffRole[] } = { auth: 'staff', roles: ['owner', 'manager', 'cashier'] };
const BOTH: { auth: 'staff'; roles: StaffRole[] } = {
  auth: 'staff',
  roles: ['owner', 'manager', 'cashier', 'support_agent'],
};
const Category = z.enum(['device_fault', 'settlement', 'refund_dispute', 'other']);
const Status = z.enum(['open', 'answered', 'in_progress', 'resolved', 'closed']);
const Id = z.object({ id: z.string().min(1).max(64) });
const Text = z.string().trim().min(1).max(2000);
const TicketSummary = z.object({
  id: z.string(),
  object: z.literal('ticket'),
  merchant_id: z.string(),
  merchant_name: z.string(),
  category: Category,
  subject: z.string().describe('The first message, shortened to 80 characters'),
  terminal_id: z.string().nullable(),
  terminal_name: z.string().nullable(),
  status: Status,
  opened_by: z.string(),
  opened_by_name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
const TicketView = TicketSummary.extend({
  history: z.array(
    z.object({
      kind: z.enum(['message', 'status']),
      side: z.enum(['merchant', 'support']),
      author_id: z.string(),
      author_name: z.string(),
      text: z.string().nullable(),
      from: Status.nullable(),
      to: Status.nullable(),
      at: z.string(),
    }),
  ),
});

function summary(row: Ticket['row'], names: TicketNames): z.infer<typeof TicketSummary> {
  return {
    id: row.id,
    object: 'ticket',
    merchant_id: row.merchant_id,
    merchant_name: names.merchant.get(row.merchant_id) ?? '',
    category: row.category,
    subject: names.subject.get(row.id) ?? '',
    terminal_id: row.terminal_id,
    terminal_name: row.terminal_id === null ? null : (names.terminal.get(row.terminal_id) ?? null),
    status: row.status,
    opened_by: row.opened_by,
    opened_by_name: names.person.get(row.opened_by) ?? '',
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

function view(t: Ticket): z.infer<typeof TicketView> {
  return {
    ...summary(t.row, t.names),
    history: t.events.map((e) => ({
      kind: e.kind,
      side: e.author_side,
      author_id: e.author_id,
      author_name: t.names.person.get(e.author_id) ?? '',
      text: e.text,
      from: e.status_from,
      to: e.status_to,
      at: toIso(e.created_at),
    })),
  };
}

/** After-sales tickets (售后): merchant staff open and follow them; support agents answer and move them. */
export function ticketRoutes(services: { tickets: TicketsService }): FastifyPluginAsyncZod {
  const { tickets } = services;
  return async (app) => {
    app.post(
      '/v1/tickets',
      {
        config: MERCHANT_STAFF,
        schema: {
          tags: ['tickets'],
          summary: 'Open an after-sales ticket',
          body: z.strictObject({ category: Category, text: Text, terminal_id: z.string().min(1).max(64).optional() }),
          response: { 201: TicketView },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const opened = await tickets.open(staffOf(request), {
          category: b.category,
          text: b.text,
          terminalId: b.terminal_id ?? null,
        });
        return reply.code(201).send(view(opened));
      },
    );

    app.get(
      '/v1/tickets',
      {
        config: BOTH,
        schema: {
          tags: ['tickets'],
          summary: "Tickets, newest first: my merchant's, or every merchant's for support agents",
          querystring: z.strictObject({ status: Status.optional() }),
          response: { 200: z.object({ object: z.literal('list'), data: z.array(TicketSummary) }) },
        },
      },
      async (request) => {
        const { rows, names } = await tickets.list(staffOf(request), { status: request.query.status });
        return { object: 'list' as const, data: rows.map((row) => summary(row, names)) };
      },
    );

    app.get(
      '/v1/tickets/terminals',
      {
        config: MERCHANT_STAFF,
        schema: {
          tags: ['tickets'],
          summary: "The terminals a ticket may name: my merchant's, not retired, in my stores, with the store's name",
          response: {
            200: z.object({
              object: z.literal('list'),
              data: z.array(z.object({ id: z.string(), name: z.string(), store_name: z.string() })),
            }),
          },
        },
      },
      async (request) => ({ object: 'list' as const, data: await tickets.terminalChoices(staffOf(request)) }),
    );

    app.get(
      '/v1/tickets/:id',
      {
        config: BOTH,
        schema: { tags: ['tickets'], summary: 'A ticket with its history', params: Id, response: { 200: TicketView } },
      },
      async (request) => view(await tickets.get(staffOf(request), request.params.id)),
    );

    app.post(
      '/v1/tickets/:id/messages',
      {
        config: BOTH,
        schema: {
          tags: ['tickets'],
          summary: "Add a message; a support agent's first answer marks the ticket answered and tells the merchant",
          params: Id,
          body: z.strictObject({ text: Text }),
          response: { 200: TicketView },
        },
      },
      async (request) => view(await tickets.reply(staffOf(request), request.params.id, request.body.text)),
    );

    app.post(
      '/v1/tickets/:id/status',
      {
        config: BOTH,
        schema: {
          tags: ['tickets'],
          summary: 'Move a ticket (support: in_progress, resolved; merchant: closed, or open again once resolved)',
          params: Id,
          body: z.strictObject({ status: Status }),
          response: { 200: TicketView },
        },
      },
      async (request) => view(await tickets.setStatus(staffOf(request), request.params.id, request.body.status)),
    );
  };
}
