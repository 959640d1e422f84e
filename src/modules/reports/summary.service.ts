import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { DetailColumn } from '../audit/index.js';
import type { StaffSession } from '../auth/index.js';
import { NotifyErrors, type OutboxService } from '../notify/index.js';
import { ReportErrors } from './reports.errors.js';
import * as repo from './summary.repository.js';

export interface CountAmount {
  count: number;
  amount: number;
}

export interface Summary {
  object: 'summary';
  from: string;
  to: string;
  store_id: string | null;
  currency: 'CNY';
  totals: { sales: CountAmount; refunds: CountAmount; refund_rate: number };
  days: { date: string; sales: CountAmount; refunds: CountAmount; refund_rate: number }[];
  by_method: ({ method: string } & CountAmount)[];
  by_operator: {
    operator_id: string;
    operator_no: string | null;
    name: string | null;
    sales: CountAmount;
    refunds: CountAmount;
  }[];
  by_reason: ({ reason: string } & CountAmount)[];
}

export interface Alerts {
  object: 'alerts';
  lockouts: {
    kind: string;
    subject: string;
    /** The locked terminal's name and the operator number, as the owner knows them (null where none applies). */
    terminal_name: string | null;
    operator_no: string | null;
    locked_until: string;
    unlock: { method: 'POST'; path: string } | null;
  }[];
  failed_messages: {
    id: string;
    channel: string;
    template: string;
    attempts: number;
    last_error: string | null;
    created_at: string;
    failed_at: string;
  }[];
  velocity: {
    at: string;
    operator_id: string;
    operator_no: string | null;
    name: string | null;
    store_id: string | null;
    store_name: string | null;
    terminal_id: string | null;
    terminal_name: string | null;
    count: number;
    window_minutes: number;
  }[];
}

/** How far back the dashboard shows velocity alerts: the last day. */
export const VELOCITY_ALERT_WINDOW_MS = 24 * 3_600_000;

/** The longest window a summary covers: a quarter, so one answer stays a bounded scan. */
export const MAX_DAYS = 92;

/** The dashboard (经营概览): per-day sales and refunds in Beijing days, refund rate, splits; and what needs a look. */
export class SummaryService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /** `from` and `to` are Beijing dates (YYYY-MM-DD), both included. */
  async summary(
    session: StaffSession,
    q: { from: string; to: string; store_id?: string | undefined },
  ): Promise<Summary> {
    if (!session.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
    const fromDay = dayNumber(q.from);
    const toDay = dayNumber(q.to);
    if (toDay < fromDay) throw AppError.from(CommonErrors, 'VALIDATION_FAILED', { param: 'to' });
    if (toDay - fromDay + 1 > MAX_DAYS) throw AppError.from(ReportErrors, 'RANGE_TOO_LONG');
    const scope: repo.SummaryScope = {
      merchantId: session.merchantId,
      storeIds: session.storeIds,
      storeId: q.store_id,
      from: fromDay * repo.DAY - repo.BEIJING_OFFSET,
      to: (toDay + 1) * repo.DAY - repo.BEIJING_OFFSET,
    };
    const [sales, refunds, methods, opSales, opRefunds, reasons] = await Promise.all([
      repo.salesByDay(this.db, scope),
      repo.refundsByDay(this.db, scope),
      repo.salesByMethod(this.db, scope),
      repo.byOperator(this.db, scope, 'sales'),
      repo.byOperator(this.db, scope, 'refunds'),
      repo.refundsByReason(this.db, scope, 20),
    ]);
    const days: Summary['days'] = [];
    for (let d = fromDay; d <= toDay; d++) {
      const s = pick(sales.find((r) => r.day === d));
      const r = pick(refunds.find((x) => x.day === d));
      days.push({ date: dateOf(d), sales: s, refunds: r, refund_rate: rate(r, s) });
    }
    const total = (rows: CountAmount[]) =>
      rows.reduce((a, b) => ({ count: a.count + b.count, amount: a.amount + b.amount }), { count: 0, amount: 0 });
    const totalSales = total(sales);
    const totalRefunds = total(refunds);
    const ids = [...new Set([...opSales, ...opRefunds].map((o) => o.operator_id))];
    const operators = await repo.operatorsOf(this.db, session.merchantId, ids);
    const by_operator = ids
      .map((id) => {
        const op = operators.find((o) => o.id === id);
        return {
          operator_id: id,
          operator_no: op?.operator_no ?? null,
          name: op?.name ?? null,
          sales: pick(opSales.find((o) => o.operator_id === id)),
          refunds: pick(opRefunds.find((o) => o.operator_id === id)),
        };
      })
      .sort((a, b) => b.sales.amount - a.sales.amount || a.operator_id.localeCompare(b.operator_id));
    return {
      object: 'summary',
      from: q.from,
      to: q.to,
      store_id: q.store_id ?? null,
      currency: 'CNY',
      totals: { sales: totalSales, refunds: totalRefunds, refund_rate: rate(totalRefunds, totalSales) },
      days,
      by_method: methods.sort((a, b) => b.amount - a.amount || a.method.localeCompare(b.method)),
      by_operator,
      by_reason: reasons,
    };
  }

  /**
   * Active lockouts (with the route that ends each early, if there is one), messages given up on, and the velocity
   * alerts of the last day (an operator starting `count` refunds within `window_minutes`, the store's refund policy).
   */
  async alerts(session: StaffSession): Promise<Alerts> {
    if (!session.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
    const now = this.clock.now();
    const [locks, failed, velocity] = await Promise.all([
      repo.activeLockouts(this.db, session.merchantId, now),
      repo.failedMessages(this.db, session.merchantId, 50),
      this.velocity(session.merchantId, now),
    ]);
    const lockouts = locks
      .map((l) => {
        const at = l.scope.indexOf(':');
        const kind = l.scope.slice(0, at);
        const subject = l.scope.slice(at + 1);
        return { kind, subject, locked_until: toIso(Number(l.locked_until)), unlock: unlockOf(kind, subject) };
      })
      // A burned one-time code stays "locked" for ever by design; it is not something to unlock.
      .filter((l) => l.kind !== 'refund_code');
    const terminalOf = (l: { kind: string; subject: string }) =>
      l.kind === 'refund_auth' ? null : (l.subject.split(':')[0] ?? null);
    const terminalIds = [...new Set(lockouts.map(terminalOf).filter((id): id is string => id !== null))];
    const names = await repo.placeNamesOf(this.db, session.merchantId, terminalIds, []);
    return {
      object: 'alerts',
      // Named as the owner knows them: the page shows no internal id (docs/STYLE "Messages").
      lockouts: lockouts.map((l) => {
        const terminal = terminalOf(l);
        return {
          ...l,
          terminal_name: terminal === null ? null : (names.terminals.get(terminal) ?? null),
          operator_no: l.kind === 'operator_pin' ? (l.subject.split(':')[1] ?? null) : null,
        };
      }),
      failed_messages: failed.map((m) => ({
        id: m.id,
        channel: m.channel,
        template: m.template,
        attempts: Number(m.attempts),
        last_error: m.last_error,
        created_at: toIso(Number(m.created_at)),
        failed_at: toIso(Number(m.updated_at)),
      })),
      velocity,
    };
  }

  private async velocity(merchantId: string, now: number): Promise<Alerts['velocity']> {
    const rows = await repo.velocityAlerts(this.db, merchantId, now - VELOCITY_ALERT_WINDOW_MS, 50);
    const alerts = rows.map((row) => {
      const d = DetailColumn.read(row.detail);
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      return {
        at: toIso(Number(row.at)),
        operator_id: text(d.operator_id) ?? '',
        store_id: text(d.store_id),
        terminal_id: text(d.terminal),
        count: Number(d.count ?? 0),
        window_minutes: Number(d.window_minutes ?? 0),
      };
    });
    const ids = [...new Set(alerts.map((a) => a.operator_id).filter(Boolean))];
    const present = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))];
    const [operators, places] = await Promise.all([
      repo.operatorsOf(this.db, merchantId, ids),
      repo.placeNamesOf(
        this.db,
        merchantId,
        present(alerts.map((a) => a.terminal_id)),
        present(alerts.map((a) => a.store_id)),
      ),
    ]);
    // The page names the terminal and store as the owner knows them, never by internal id.
    return alerts.map((a) => {
      const op = operators.find((o) => o.id === a.operator_id);
      return {
        ...a,
        operator_no: op?.operator_no ?? null,
        name: op?.name ?? null,
        terminal_name: a.terminal_id ? (places.terminals.get(a.terminal_id) ?? null) : null,
        store_name: a.store_id ? (places.stores.get(a.store_id) ?? null) : null,
      };
    });
  }

  /** Queue a message of the merchant that failed (or still waits) again now; another merchant's is not found. */
  async retryMessage(session: StaffSession, outbox: OutboxService, id: string) {
    if (!session.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
    const own = await repo.messageOf(this.db, session.merchantId, id);
    if (!own) throw AppError.from(NotifyErrors, 'MESSAGE_NOT_FOUND');
    const row = await outbox.retry(id);
    return {
      id: row.id,
      status: row.status,
      attempts: Number(row.attempts),
      give_up_at: toIso(Number(row.give_up_at)),
    };
  }
}

/** The existing route that ends a lock of this kind early (all ask for fresh re-authentication). */
function unlockOf(kind: string, subject: string): Alerts['lockouts'][number]['unlock'] {
  const terminal = subject.split(':')[0] ?? subject;
  if (kind === 'refund_auth') return { method: 'POST', path: `/v1/merchants/${subject}/refund-lock/unlock` };
  if (kind === 'refund_key') return { method: 'POST', path: `/v1/terminals/${subject}/refund-lock/unlock` };
  if (kind === 'operator_pin' || kind === 'operator_pin_terminal') {
    return { method: 'POST', path: `/v1/terminals/${terminal}/operator-lock/unlock` };
  }
  return null;
}

const pick = (r: CountAmount | undefined): CountAmount => ({ count: r?.count ?? 0, amount: r?.amount ?? 0 });

/** Refunded amount over sold amount, 4 decimals (0 when nothing was sold). */
const rate = (refunds: CountAmount, sales: CountAmount) =>
  sales.amount > 0 ? Math.round((refunds.amount / sales.amount) * 10_000) / 10_000 : 0;

const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / repo.DAY);
const dateOf = (day: number) => new Date(day * repo.DAY).toISOString().slice(0, 10);
