import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { StaffSession } from '../auth/index.js';
import { type SaleRow, toSale } from '../sales/index.js';
import { BatchesService } from './batches.service.js';
import { ReportErrors } from './reports.errors.js';
import * as repo from './reports.repository.js';
import type { ListedSale, Page, RefundSummary, RefundsFilter, SalesFilter } from './reports.schemas.js';
import { SummaryService } from './summary.service.js';

export interface PageQuery {
  limit: number;
  starting_after?: string | undefined;
}

/** The most rows one CSV export holds; past it the caller narrows the filters (a bounded answer, not a dump). */
export const EXPORT_MAX_ROWS = 50_000;
const EXPORT_PAGE = 500;

/** The back office's lists of sales and refunds (报表), newest first, in the session's merchant and stores. */
export class ReportsService {
  /** The dashboard's summary and alerts. */
  readonly summary: SummaryService;
  /** Settlement batches. */
  readonly batches: BatchesService;

  constructor(
    private readonly db: Kysely<DB>,
    clock: Clock,
  ) {
    this.summary = new SummaryService(db, clock);
    this.batches = new BatchesService(db);
  }

  /** Sales, filtered; keyset pages. */
  async sales(session: StaffSession, query: PageQuery & SalesFilter): Promise<Page<ListedSale>> {
    const scope = await this.scope(session, 'sales', query);
    const rows = await repo.listSales(this.db, scope, filtersOf(query));
    return page(rows.map(listedSale), query.limit);
  }

  /** Refunds and voids, filtered; keyset pages. */
  async refunds(session: StaffSession, query: PageQuery & RefundsFilter): Promise<Page<RefundSummary>> {
    const scope = await this.scope(session, 'refunds', query);
    const rows = await repo.listRefunds(this.db, scope, {
      ...filtersOf(query),
      saleId: query.sale_id,
      type: query.type,
    });
    return page(rows.map(refundSummary), query.limit);
  }

  /** Every sale the filters select (for the CSV export), walked page by page; 422 past EXPORT_MAX_ROWS. */
  async allSales(session: StaffSession, query: SalesFilter): Promise<ListedSale[]> {
    return this.walk(query, (q) => this.sales(session, q));
  }

  async allRefunds(session: StaffSession, query: RefundsFilter): Promise<RefundSummary[]> {
    return this.walk(query, (q) => this.refunds(session, q));
  }

  private async walk<T extends { id: string }, Q>(query: Q, next: (q: Q & PageQuery) => Promise<Page<T>>) {
    const out: T[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await next({ ...query, limit: EXPORT_PAGE, ...(after ? { starting_after: after } : {}) });
      out.push(...p.data);
      if (out.length > EXPORT_MAX_ROWS) throw AppError.from(ReportErrors, 'EXPORT_TOO_LARGE');
      if (!p.has_more) return out;
      after = p.data[p.data.length - 1]?.id;
    }
  }

  private async scope(
    session: StaffSession,
    table: 'sales' | 'refunds',
    query: PageQuery & { created_from?: string | undefined; created_to?: string | undefined },
  ): Promise<repo.ListScope> {
    if (!session.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
    let after: repo.ListScope['after'] = null;
    if (query.starting_after) {
      after = (await repo.positionOf(this.db, table, session.merchantId, query.starting_after)) ?? null;
      // An id of another merchant is as unknown as one that never existed.
      if (!after) throw AppError.from(CommonErrors, 'VALIDATION_FAILED', { param: 'starting_after' });
    }
    return {
      merchantId: session.merchantId,
      storeIds: session.storeIds,
      limit: query.limit,
      after,
      createdFrom: query.created_from ? Date.parse(query.created_from) : null,
      createdTo: query.created_to ? Date.parse(query.created_to) : null,
    };
  }
}

function filtersOf(q: SalesFilter | RefundsFilter): repo.CommonFilters {
  return {
    storeId: q.store_id,
    terminalId: q.terminal_id,
    operatorId: q.operator_id,
    status: q.status,
    method: q.method,
    amountMin: q.amount_min,
    amountMax: q.amount_max,
    reference: q.reference,
    cardLast4: q.card_last4,
  };
}

function listedSale(row: SaleRow): ListedSale {
  return { ...toSale(row), operator_id: row.operator_id };
}

function refundSummary(r: Awaited<ReturnType<typeof repo.listRefunds>>[number]): RefundSummary {
  return {
    id: r.id,
    object: 'refund',
    sale_id: r.sale_id,
    type: r.type,
    amount: Number(r.amount),
    currency: 'CNY',
    reason: r.reason,
    status: r.status,
    store_id: r.store_id,
    terminal_id: r.terminal_id,
    operator_id: r.operator_id,
    created_at: toIso(Number(r.created_at)),
    completed_at: r.completed_at === null ? null : toIso(Number(r.completed_at)),
  };
}

function page<T>(items: T[], limit: number): Page<T> {
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit };
}
