import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Space, Table, Tabs, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing, formatYuan } from '../../format.js';
import { errorText } from '../sign-in/SignInPage.js';
import { BatchesList } from './BatchesList.js';
import { type FilterForm, type Kind, queryOf, TransactionFilters, useDirectory } from './TransactionFilters.js';

const PAGE = 20;

interface Row {
  id: string;
  created_at: string;
  amount: number;
  status: string;
  store_id: string;
  terminal_id: string;
  operator_id: string;
  method?: string;
  refunded_amount?: number;
  sale_id?: string;
  type?: string;
  reason?: string;
}

/** 交易记录: sales and refunds, filtered, a page at a time (cursor), exported as CSV, each with its audit timeline. */
export function TransactionsPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('sales');
  const [filters, setFilters] = useState<Record<string, string>>({});
  // The cursors of the pages before the current one: "next" pushes the last id, "first page" clears them.
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<Row>();
  const [form] = Form.useForm<FilterForm>();
  const after = cursors.at(-1);

  const directory = useDirectory();
  const { storeName } = directory;
  const list = useQuery({
    queryKey: ['transactions', kind, filters, after],
    queryFn: async (): Promise<{ data: Row[]; has_more: boolean }> => {
      const query = { ...filters, limit: PAGE, ...(after ? { starting_after: after } : {}) };
      if (kind === 'sales') {
        const page = await unwrap(api.GET('/v1/sales', { params: { query: query as never } }));
        return {
          has_more: page.has_more,
          data: page.data.map((s) => ({
            ...s,
            method: s.payment_method.type === 'qr' ? s.payment_method.wallet : s.payment_method.type,
          })),
        };
      }
      return unwrap(api.GET('/v1/refunds', { params: { query: query as never } }));
    },
  });

  const search = (values: FilterForm) => {
    setFilters(queryOf(values));
    setCursors([]);
  };
  const exportCsv = () => {
    const link = document.createElement('a');
    link.href = `/v1/${kind}/export.csv?${new URLSearchParams(filters).toString()}`;
    link.download = `${kind}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
  };
  const methodName = (m?: string) =>
    m === 'bank_card' ? t('transactions.methods.card') : m ? t(`transactions.methods.${m}`, m) : '—';

  const columns = [
    { title: t('transactions.reference'), dataIndex: 'id', key: 'id', render: (id: string) => <code>{id}</code> },
    { title: t('transactions.time'), dataIndex: 'created_at', key: 'time', render: (v: string) => formatBeijing(v) },
    {
      title: t('transactions.amount'),
      dataIndex: 'amount',
      key: 'amount',
      align: 'right' as const,
      render: (v: number) => formatYuan(v),
    },
    kind === 'sales'
      ? { title: t('transactions.method'), dataIndex: 'method', key: 'method', render: methodName }
      : {
          title: t('transactions.type'),
          dataIndex: 'type',
          key: 'type',
          render: (v: string) => t(`transactions.types.${v}`),
        },
    {
      title: t('transactions.status'),
      dataIndex: 'status',
      key: 'status',
      render: (v: string) => t(`transactions.statuses.${v}`, v),
    },
    {
      title: t('transactions.store'),
      dataIndex: 'store_id',
      key: 'store',
      render: storeName,
      responsive: ['md' as const],
    },
    {
      title: t('transactions.details'),
      key: 'details',
      render: (_: unknown, row: Row) => (
        <Button size="small" onClick={() => setSelected(row)} aria-label={`${t('transactions.details')} ${row.id}`}>
          {t('transactions.details')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Typography.Title level={1}>{t('transactions.title')}</Typography.Title>
      <Tabs
        activeKey={kind}
        onChange={(k) => {
          setKind(k as Kind);
          setCursors([]);
          setFilters({});
          form.resetFields();
        }}
        items={[
          { key: 'sales', label: t('transactions.sales') },
          { key: 'refunds', label: t('transactions.refunds') },
        ]}
      />
      <TransactionFilters form={form} kind={kind} directory={directory} onSearch={search} onExport={exportCsv} />
      {list.error ? (
        <Alert type="error" role="alert" showIcon title={errorText(list.error, t('shell.error.unknown'))} />
      ) : null}
      <Table<Row>
        style={{ marginTop: 16 }}
        aria-label={t('transactions.table')}
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('transactions.empty') }}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={cursors.length === 0} onClick={() => setCursors([])}>
          {t('transactions.firstPage')}
        </Button>
        <Button
          disabled={!list.data?.has_more}
          onClick={() => {
            const last = list.data?.data.at(-1)?.id;
            if (last) setCursors([...cursors, last]);
          }}
        >
          {t('transactions.nextPage')}
        </Button>
      </Space>
      <BatchesList />
      <TransactionDrawer row={selected} kind={kind} onClose={() => setSelected(undefined)} directory={directory} />
    </>
  );
}

/** The detail of one transaction and its timeline from the audit log (owners only may read it; others see a note). */
function TransactionDrawer({
  row,
  kind,
  onClose,
  directory,
}: {
  row: Row | undefined;
  kind: Kind;
  onClose: () => void;
  directory: ReturnType<typeof useDirectory>;
}) {
  const { t } = useTranslation();
  const { storeName, terminalName, operatorName } = directory;
  const audit = useQuery({
    queryKey: ['audit', row?.id],
    enabled: !!row,
    retry: false,
    queryFn: () => unwrap(api.GET('/v1/audit', { params: { query: { object_id: row?.id ?? '' } as never } })),
  });
  return (
    <Drawer open={!!row} onClose={onClose} title={row?.id} size="default" styles={{ wrapper: { maxWidth: '100vw' } }}>
      {row ? (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('transactions.time')}>{formatBeijing(row.created_at, true)}</Descriptions.Item>
            <Descriptions.Item label={t('transactions.amount')}>{formatYuan(row.amount)}</Descriptions.Item>
            <Descriptions.Item label={t('transactions.status')}>
              {t(`transactions.statuses.${row.status}`)}
            </Descriptions.Item>
            {kind === 'sales' ? (
              <Descriptions.Item label={t('transactions.refunded')}>
                {formatYuan(row.refunded_amount ?? 0)}
              </Descriptions.Item>
            ) : (
              <>
                <Descriptions.Item label={t('transactions.sale')}>{row.sale_id}</Descriptions.Item>
                <Descriptions.Item label={t('transactions.reason')}>{row.reason}</Descriptions.Item>
              </>
            )}
            <Descriptions.Item label={t('transactions.store')}>{storeName(row.store_id)}</Descriptions.Item>
            <Descriptions.Item label={t('transactions.terminal')}>{terminalName(row.terminal_id)}</Descriptions.Item>
            <Descriptions.Item label={t('transactions.operator')}>{operatorName(row.operator_id)}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
            {t('transactions.timeline')}
          </Typography.Title>
          {audit.data && audit.data.data.length > 0 ? (
            <Timeline
              items={[...audit.data.data].reverse().map((e) => ({
                key: `${e.at}-${e.event}`,
                color: e.outcome === 'success' ? 'green' : 'red',
                content: `${formatBeijing(e.at, true)} · ${e.event} · ${e.outcome}`,
              }))}
            />
          ) : (
            <Typography.Paragraph type="secondary">{t('transactions.noTimeline')}</Typography.Paragraph>
          )}
        </>
      ) : null}
    </Drawer>
  );
}
