import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { StaffSession } from '../auth/index.js';
import { ReportColumn, type SettlementSchema } from '../settlements/index.js';
import * as repo from './batches.repository.js';
import type { Page } from './reports.schemas.js';

export interface BatchView {
  id: string;
  object: 'settlement_batch';
  terminal_id: string;
  store_id: string;
  status: 'open' | 'closed';
  opened_at: string;
  closed_at: string | null;
  /** The settlement report written when the batch closed (as POST /v1/settlements answered); null while open. */
  report: z.infer<typeof SettlementSchema> | null;
  /** For an open batch: its succeeded sales so far. */
  open_sales: { count: number; amount: number } | null;
}

/** Settlement batches (结算批次) for the back office, in the session's merchant and stores. */
export class BatchesService {
  constructor(private readonly db: Kysely<DB>) {}

  async list(
    session: StaffSession,
    q: {
      limit: number;
      starting_after?: string | undefined;
      store_id?: string | undefined;
      terminal_id?: string | undefined;
      status?: 'open' | 'closed' | undefined;
    },
  ): Promise<Page<BatchView>> {
    const merchantId = merchantOf(session);
    let after: { openedAt: number; id: string } | null = null;
    if (q.starting_after) {
      const row = await repo.findBatch(this.db, merchantId, q.starting_after);
      if (!row) throw AppError.from(CommonErrors, 'VALIDATION_FAILED', { param: 'starting_after' });
      after = { openedAt: Number(row.opened_at), id: row.id };
    }
    const rows = await repo.listBatches(this.db, {
      merchantId,
      storeIds: session.storeIds,
      limit: q.limit,
      after,
      storeId: q.store_id,
      terminalId: q.terminal_id,
      status: q.status,
    });
    const data = rows.slice(0, q.limit).map((r) => view(r, null));
    return { object: 'list', data, has_more: rows.length > q.limit };
  }

  /** One batch; another merchant's, or one outside a manager's stores, is not found. */
  async get(session: StaffSession, id: string): Promise<BatchView> {
    const row = await repo.findBatch(this.db, merchantOf(session), id);
    if (!row || (session.storeIds !== null && !session.storeIds.includes(row.store_id))) {
      throw AppError.from(CommonErrors, 'NOT_FOUND');
    }
    return view(row, row.status === 'open' ? await repo.openTotals(this.db, row.id) : null);
  }
}

function merchantOf(session: StaffSession): string {
  if (!session.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
  return session.merchantId;
}

function view(r: NonNullable<Awaited<ReturnType<typeof repo.findBatch>>>, open: BatchView['open_sales']): BatchView {
  return {
    id: r.id,
    object: 'settlement_batch',
    terminal_id: r.terminal_id,
    store_id: r.store_id,
    status: r.status,
    opened_at: toIso(Number(r.opened_at)),
    closed_at: r.closed_at === null ? null : toIso(Number(r.closed_at)),
    // Written by the settlement path as JSON.stringify of this very shape.
    report: r.report === null ? null : (ReportColumn.read(r.report) as BatchView['report']),
    open_sales: open,
  };
}
