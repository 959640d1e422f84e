import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { cryptoRandom, newId, type RandomSource } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import { type AuditService, staffEvent } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffService } from '../staff/index.js';
import { type TicketNames, ticketNames } from './ticket-names.js';
import { CATEGORY_LABELS, mayMove, STATUS_LABELS } from './ticket-rules.js';
import { TicketErrors } from './tickets.errors.js';
import type { TicketCategory, TicketEventRow, TicketRow, TicketStatus } from './tickets.table.js';

export interface Ticket {
  row: TicketRow;
  events: TicketEventRow[];
  names: TicketNames;
}

/**
 * After-sales tickets (售后, issue 15 item 6): a merchant's staff open one (category, text, optionally the terminal);
 * support agents answer and move it; every status change is told to the opener and the owners by SMS and e-mail.
 * A merchant sees only its own tickets (another merchant's are answered 404); agents see all.
 */
export class TicketsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly deps: { staff: StaffService; audit: AuditService; outbox: OutboxService },
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  async open(
    staff: StaffSession,
    input: { category: TicketCategory; text: string; terminalId: string | null },
  ): Promise<Ticket> {
    const merchantId = staff.merchantId;
    if (merchantId === null) throw AppError.from(TicketErrors, 'TICKET_NOT_FOUND');
    if (input.terminalId !== null) {
      const terminal = await this.db
        .selectFrom('terminals')
        .select('id')
        .where('id', '=', input.terminalId)
        .where('merchant_id', '=', merchantId)
        .executeTakeFirst();
      if (!terminal) throw AppError.from(TicketErrors, 'TICKET_TERMINAL_UNKNOWN', { param: 'terminal_id' });
    }
    const now = this.clock.now();
    const row: TicketRow = {
      id: newId('tkt', this.random),
      merchant_id: merchantId,
      opened_by: staff.userId,
      category: input.category,
      terminal_id: input.terminalId,
      status: 'open',
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('tickets').values(row).execute();
      await this.event(trx, row.id, staff, 'merchant', { kind: 'message', text: input.text });
      await this.audit(trx, row, staff, 'ticket.opened', { category: input.category });
    });
    return this.get(staff, row.id);
  }

  /**
   * The terminals a person may name on a ticket: their merchant's, not retired, in their stores (cashiers and managers
   * of some stores), named with the store, so that a cashier reporting a device fault can pick the till.
   */
  async terminalChoices(staff: StaffSession): Promise<Array<{ id: string; name: string; store_name: string }>> {
    let query = this.db
      .selectFrom('terminals')
      .innerJoin('stores', 'stores.id', 'terminals.store_id')
      .select(['terminals.id as id', 'terminals.name as name', 'stores.name as store_name'])
      .where('terminals.merchant_id', '=', staff.merchantId ?? '')
      .where('terminals.status', '!=', 'retired');
    if (staff.storeIds !== null) {
      if (staff.storeIds.length === 0) return [];
      query = query.where('terminals.store_id', 'in', staff.storeIds);
    }
    return query.orderBy('stores.name').orderBy('terminals.name').limit(500).execute();
  }

  /** A ticket with its history; 404 for another merchant's ticket. */
  async get(staff: StaffSession, id: string): Promise<Ticket> {
    let query = this.db.selectFrom('tickets').selectAll().where('id', '=', id);
    if (staff.role !== 'support_agent') query = query.where('merchant_id', '=', staff.merchantId ?? '');
    const row = await query.executeTakeFirst();
    if (!row) throw AppError.from(TicketErrors, 'TICKET_NOT_FOUND');
    const events = await this.db
      .selectFrom('ticket_events')
      .selectAll()
      .where('ticket_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return { row, events, names: await ticketNames(this.db, [row], events) };
  }

  /** Tickets newest first: the merchant's own, or for agents every merchant's (optionally one status), with names. */
  async list(
    staff: StaffSession,
    { status }: { status?: TicketStatus } = {},
  ): Promise<{ rows: TicketRow[]; names: TicketNames }> {
    let query = this.db.selectFrom('tickets').selectAll();
    if (staff.role !== 'support_agent') query = query.where('merchant_id', '=', staff.merchantId ?? '');
    if (status) query = query.where('status', '=', status);
    const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(100).execute();
    return { rows, names: await ticketNames(this.db, rows) };
  }

  /** A message; an agent's answer moves an open ticket to answered and tells the merchant. */
  async reply(staff: StaffSession, id: string, text: string): Promise<Ticket> {
    const side = sideOf(staff);
    const current = await this.get(staff, id);
    if (current.row.status === 'closed') throw AppError.from(TicketErrors, 'TICKET_CLOSED');
    const next: TicketStatus | null = side === 'support' && current.row.status === 'open' ? 'answered' : null;
    await this.db.transaction().execute(async (trx) => {
      await this.event(trx, id, staff, side, { kind: 'message', text });
      if (next) await this.move(trx, current.row, staff, side, next, text);
      else await trx.updateTable('tickets').set({ updated_at: this.clock.now() }).where('id', '=', id).execute();
      if (side === 'support' && !next) await this.notify(trx, current.row, current.row.status, text);
    });
    return this.get(staff, id);
  }

  /** A status change by the side allowed to make it (ticket-rules.ts), in one conditional update; notified. */
  async setStatus(staff: StaffSession, id: string, to: TicketStatus): Promise<Ticket> {
    const side = sideOf(staff);
    const current = await this.get(staff, id);
    if (!mayMove(side, current.row.status, to)) throw AppError.from(TicketErrors, 'TICKET_STATUS_NOT_ALLOWED');
    await this.db.transaction().execute((trx) => this.move(trx, current.row, staff, side, to, null));
    return this.get(staff, id);
  }

  private async move(
    trx: Executor,
    row: TicketRow,
    staff: StaffSession,
    side: 'merchant' | 'support',
    to: TicketStatus,
    reply: string | null,
  ): Promise<void> {
    const result = await trx
      .updateTable('tickets')
      .set({ status: to, updated_at: this.clock.now() })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw AppError.from(TicketErrors, 'TICKET_STATUS_NOT_ALLOWED');
    await this.event(trx, row.id, staff, side, { kind: 'status', from: row.status, to });
    await this.audit(trx, row, staff, 'ticket.status_changed', { from: row.status, to });
    await this.notify(trx, row, to, reply);
  }

  /** The opener and the merchant's owners, on each channel they have, in their language. */
  private async notify(trx: Executor, row: TicketRow, status: TicketStatus, reply: string | null): Promise<void> {
    const people = (await this.deps.staff.usersOfMerchant(row.merchant_id, trx)).filter(
      (u) => u.status === 'active' && (u.id === row.opened_by || u.role === 'owner'),
    );
    for (const person of people) {
      const en = person.locale.toLowerCase().startsWith('en');
      const params = {
        ticket_id: row.id,
        status,
        status_label: STATUS_LABELS[status][en ? 'en' : 'zh'],
        category_label: CATEGORY_LABELS[row.category][en ? 'en' : 'zh'],
        ...(reply ? { reply } : {}),
      };
      for (const [channel, recipient] of [
        ['sms', person.phone],
        ['email', person.email],
      ] as const) {
        if (!recipient) continue;
        await this.deps.outbox.enqueue(trx, {
          merchantId: row.merchant_id,
          channel,
          recipient,
          template: 'ticket_status_changed',
          locale: person.locale,
          params,
        });
      }
    }
  }

  private async event(
    trx: Executor,
    ticketId: string,
    staff: StaffSession,
    side: 'merchant' | 'support',
    what: { kind: 'message'; text: string } | { kind: 'status'; from: TicketStatus; to: TicketStatus },
  ): Promise<void> {
    await trx
      .insertInto('ticket_events')
      .values({
        id: eventId(this.random),
        ticket_id: ticketId,
        kind: what.kind,
        author_id: staff.userId,
        author_side: side,
        text: what.kind === 'message' ? what.text : null,
        status_from: what.kind === 'status' ? what.from : null,
        status_to: what.kind === 'status' ? what.to : null,
        created_at: this.clock.now(),
      })
      .execute();
  }

  private audit(trx: Executor, row: TicketRow, staff: StaffSession, event: string, detail: Record<string, unknown>) {
    const object = { type: 'ticket', id: row.id };
    return this.deps.audit.record(trx, staffEvent(staff, event, { merchantId: row.merchant_id, object, detail }));
  }
}

function sideOf(staff: StaffSession): 'merchant' | 'support' {
  return staff.role === 'support_agent' ? 'support' : 'merchant';
}

/**
 * An event id that sorts in the order the events were written by this process (the history is ordered by time, then
 * id, and several events of one request share a millisecond): a monotonic counter before the random part.
 */
function eventId(random: RandomSource): string {
  return `tke_${process.hrtime.bigint().toString(36).padStart(13, '0')}${newId('x', random).slice(2, 10)}`;
}
