import { Card, Table } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../../../src/sdk/api-types.js';
import { formatYuan } from '../../format.js';
import { type ChartOption, EChart } from './EChart.js';
import { ScrollRegion } from './ScrollRegion.js';

type Summary = paths['/v1/reports/summary']['get']['responses'][200]['content']['application/json'];

export const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const TITLE = { fontSize: 16, margin: 0 };
const yuan = (fen: number) => Math.round(fen) / 100;

/** The numbers of a chart as a table, folded under the chart (the chart itself is an image to screen readers). */
function DataTable<T extends object>({
  label,
  rows,
  columns,
}: {
  label: string;
  rows: T[];
  columns: { title: string; key: string; align?: 'right'; render: (row: T) => string }[];
}) {
  const { t } = useTranslation();
  return (
    <details style={{ marginTop: 8 }}>
      <summary>{t('dashboard.dataTable')}</summary>
      <ScrollRegion label={label}>
        <Table<T>
          aria-label={label}
          size="small"
          pagination={false}
          rowKey={(row) => JSON.stringify(row)}
          dataSource={rows}
          columns={columns.map((c) => ({ ...c, render: (_: unknown, row: T) => c.render(row) }))}
        />
      </ScrollRegion>
    </details>
  );
}

/** Sales and refunds per Beijing day as bars, the refund rate as a line on its own axis. */
export function DaysChart({ summary: s }: { summary: Summary }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: 'category', data: s.days.map((d) => d.date.slice(5)) },
      yAxis: [
        { type: 'value', name: '¥' },
        { type: 'value', name: '%', splitLine: { show: false } },
      ],
      series: [
        { name: t('dashboard.sales'), type: 'bar', data: s.days.map((d) => yuan(d.sales.amount)) },
        { name: t('dashboard.refunds'), type: 'bar', data: s.days.map((d) => yuan(d.refunds.amount)) },
        {
          name: t('dashboard.refundRate'),
          type: 'line',
          yAxisIndex: 1,
          data: s.days.map((d) => Math.round(d.refund_rate * 10_000) / 100),
        },
      ],
    }),
    [s, t],
  );
  const summary = t('dashboard.daySummary', {
    from: s.from,
    to: s.to,
    sales: formatYuan(s.totals.sales.amount),
    salesCount: s.totals.sales.count,
    refunds: formatYuan(s.totals.refunds.amount),
    refundsCount: s.totals.refunds.count,
    rate: percent(s.totals.refund_rate),
  });
  return (
    <Card size="small" title={<h2 style={TITLE}>{t('dashboard.perDay')}</h2>}>
      <EChart option={option} summary={`${t('dashboard.perDay')}: ${summary}`} />
      <DataTable
        label={t('dashboard.perDay')}
        rows={s.days}
        columns={[
          { title: t('dashboard.date'), key: 'date', render: (d) => d.date },
          { title: t('dashboard.sales'), key: 'sales', align: 'right', render: (d) => formatYuan(d.sales.amount) },
          { title: t('dashboard.salesCount'), key: 'sc', align: 'right', render: (d) => String(d.sales.count) },
          {
            title: t('dashboard.refunds'),
            key: 'refunds',
            align: 'right',
            render: (d) => formatYuan(d.refunds.amount),
          },
          { title: t('dashboard.refundsCount'), key: 'rc', align: 'right', render: (d) => String(d.refunds.count) },
          { title: t('dashboard.refundRate'), key: 'rate', align: 'right', render: (d) => percent(d.refund_rate) },
        ]}
      />
    </Card>
  );
}

export interface SplitRow {
  key: string;
  name: string;
  count: number;
  amount: number;
  /** By operator: the operator's refunds beside their sales. */
  refunds?: { count: number; amount: number };
}

/** One split of the period (by method, operator or reason): a pie or horizontal bars, and its table. */
export function SplitChart({
  title,
  column,
  kind,
  rows,
}: {
  title: string;
  column: string;
  kind: 'pie' | 'bar';
  rows: SplitRow[];
}) {
  const { t } = useTranslation();
  const withRefunds = rows.some((r) => r.refunds);
  const option = useMemo<ChartOption>(() => {
    if (kind === 'pie') {
      return {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0, type: 'scroll' },
        series: [
          {
            type: 'pie',
            radius: ['35%', '65%'],
            top: -20,
            label: { show: false },
            data: rows.map((r) => ({ name: r.name, value: yuan(r.amount) })),
          },
        ],
      };
    }
    const names = rows.map((r) => r.name).reverse();
    return {
      tooltip: { trigger: 'axis' },
      legend: withRefunds ? { top: 0 } : { show: false },
      grid: { left: 8, right: 16, bottom: 8, top: withRefunds ? 32 : 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: names, axisLabel: { width: 90, overflow: 'truncate' } },
      series: [
        {
          name: withRefunds ? t('dashboard.sales') : t('dashboard.refunds'),
          type: 'bar',
          data: rows.map((r) => yuan(r.amount)).reverse(),
        },
        ...(withRefunds
          ? [
              {
                name: t('dashboard.refunds'),
                type: 'bar' as const,
                data: rows.map((r) => yuan(r.refunds?.amount ?? 0)).reverse(),
              },
            ]
          : []),
      ],
    };
  }, [kind, rows, t, withRefunds]);
  const items = rows.map((r) => `${r.name} ${formatYuan(r.amount)}`).join('；');
  return (
    <Card size="small" title={<h2 style={TITLE}>{title}</h2>}>
      {rows.length > 0 ? (
        <EChart option={option} summary={t('dashboard.splitSummary', { title, items })} height={240} />
      ) : (
        <p>{t('dashboard.noData')}</p>
      )}
      <DataTable
        label={title}
        rows={rows}
        columns={[
          { title: column, key: 'name', render: (r) => r.name },
          {
            title: withRefunds ? t('dashboard.sales') : t('dashboard.amount'),
            key: 'amount',
            align: 'right',
            render: (r) => `${formatYuan(r.amount)} · ${r.count}`,
          },
          ...(withRefunds
            ? [
                {
                  title: t('dashboard.refunds'),
                  key: 'refunds',
                  align: 'right' as const,
                  render: (r: SplitRow) => `${formatYuan(r.refunds?.amount ?? 0)} · ${r.refunds?.count ?? 0}`,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
