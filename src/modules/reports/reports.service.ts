import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { StaffSession } from '../auth/request-context.js';
import { toSale } from '../sales/sale-view.js';
import type { Sale } from '../sales/sales.schemas.js';
import * as repo from './reports.repository.js';

/** One page of a list: `has_more` says whether `starting_after` the last item gives more. */
export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

export interface RefundSummary {
  id: string;
  object: 'refund';
  sale_id: string;
  type: string;
  amount: number;
  currency: 'CNY';
  reason: string;
  status: string;
  store_id: string;
  terminal_id: string;
  operator_id: string;
  created_at: string;
  completed_at: string | null;
}

export interface ListQuery {
  limit: number;
  starting_after?: string | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
  store_id?: string | undefined;
  terminal_id?: string | undefined;
  status?: string | undefined;
}

/** The back office's lists of sales and refunds (报表), newest first, in the session's merchant and stores. */
export class ReportsService {
  constructor(private readonly db: Kysely<DB>) {}

  /** Sales, filtered by store, terminal, status and time; keyset pages. */
  async sales(session: StaffSession, query: ListQuery): Promise<Page<Sale>> {
    const scope = await this.scope(session, 'sales', query);
    const rows = await repo.listSales(this.db, scope, {
      storeId: query.store_id,
      terminalId: query.terminal_id,
      status: query.status,
    });
    return page(rows.map(toSale), query.limit);
  }

  /** Refunds and voids, filtered by store, terminal, sale, status, type and time; keyset pages. */
  async refunds(
    session: StaffSession,
    query: ListQuery & { sale_id?: string; type?: string },
  ): Promise<Page<RefundSummary>> {
    const scope = await this.scope(session, 'refunds', query);
    const rows = await repo.listRefunds(this.db, scope, {
      storeId: query.store_id,
      terminalId: query.terminal_id,
      saleId: query.sale_id,
      status: query.status,
      type: query.type,
    });
    return page(
      rows.map((r) => ({
        id: r.id,
        object: 'refund' as const,
        sale_id: r.sale_id,
        type: r.type,
        amount: Number(r.amount),
        currency: 'CNY' as const,
        reason: r.reason,
        status: r.status,
        store_id: r.store_id,
        terminal_id: r.terminal_id,
        operator_id: r.operator_id,
        created_at: toIso(Number(r.created_at)),
        completed_at: r.completed_at === null ? null : toIso(Number(r.completed_at)),
      })),
      query.limit,
    );
  }

  private async scope(session: StaffSession, table: 'sales' | 'refunds', query: ListQuery): Promise<repo.ListScope> {
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

function page<T>(items: T[], limit: number): Page<T> {
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit };
}
