import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tabs,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing, formatYuan } from '../../format.js';
import { errorText } from '../sign-in/SignInPage.js';
import { BatchesList } from './BatchesList.js';

type Kind = 'sales' | 'refunds';
const METHODS = ['card', 'wechat', 'alipay', 'unionpay', 'cash', 'order'] as const;
const SALE_STATUSES = ['pending', 'succeeded', 'declined', 'voided'] as const;
const REFUND_STATUSES = [
  'requires_authorization',
  'pending_approval',
  'succeeded',
  'canceled',
  'expired',
  'failed',
] as const;
const PAGE = 20;

/** What the filter form holds: amounts in yuan as a person types them; the API takes fen. */
interface FilterForm {
  reference?: string;
  card_last4?: string;
  method?: (typeof METHODS)[number];
  status?: string;
  store_id?: string;
  amount_min?: number | null;
  amount_max?: number | null;
}

/** The query string of both the list and its CSV export: the same filters, so the file is exactly what is shown. */
function queryOf(f: FilterForm): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.reference?.trim()) q.reference = f.reference.trim();
  if (f.card_last4?.trim()) q.card_last4 = f.card_last4.trim();
  if (f.method) q.method = f.method;
  if (f.status) q.status = f.status;
  if (f.store_id) q.store_id = f.store_id;
  if (f.amount_min != null) q.amount_min = String(Math.round(f.amount_min * 100));
  if (f.amount_max != null) q.amount_max = String(Math.round(f.amount_max * 100));
  return q;
}

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

  const stores = useQuery({ queryKey: ['stores'], queryFn: () => unwrap(api.GET('/v1/stores')) });
  const storeName = (id: string) => stores.data?.data.find((s) => s.id === id)?.name ?? id;
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
      <Form form={form} layout="inline" onFinish={search} aria-label={t('transactions.filters')} style={{ rowGap: 8 }}>
        <Form.Item name="reference" label={t('transactions.reference')}>
          <Input allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="card_last4" label={t('transactions.cardLast4')} rules={[{ pattern: /^\d{4}$/ }]}>
          <Input allowClear inputMode="numeric" maxLength={4} style={{ width: 90 }} />
        </Form.Item>
        {
          <Form.Item name="method" label={t('transactions.method')}>
            <Select
              allowClear
              style={{ width: 130 }}
              options={METHODS.map((m) => ({ value: m, label: t(`transactions.methods.${m}`) }))}
            />
          </Form.Item>
        }
        <Form.Item name="status" label={t('transactions.status')}>
          <Select
            allowClear
            style={{ width: 140 }}
            options={(kind === 'sales' ? SALE_STATUSES : REFUND_STATUSES).map((s) => ({
              value: s,
              label: t(`transactions.statuses.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="store_id" label={t('transactions.store')}>
          <Select
            allowClear
            style={{ width: 160 }}
            options={(stores.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item name="amount_min" label={t('transactions.amountMin')}>
          <InputNumber min={0} precision={2} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="amount_max" label={t('transactions.amountMax')}>
          <InputNumber min={0} precision={2} style={{ width: 110 }} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit">
            {t('transactions.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              search({});
            }}
          >
            {t('transactions.reset')}
          </Button>
          <Button onClick={exportCsv}>{t('transactions.exportCsv')}</Button>
        </Space>
      </Form>
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
      <TransactionDrawer row={selected} kind={kind} onClose={() => setSelected(undefined)} storeName={storeName} />
    </>
  );
}

/** The detail of one transaction and its timeline from the audit log (owners only may read it; others see a note). */
function TransactionDrawer({
  row,
  kind,
  onClose,
  storeName,
}: {
  row: Row | undefined;
  kind: Kind;
  onClose: () => void;
  storeName: (id: string) => string;
}) {
  const { t } = useTranslation();
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
            <Descriptions.Item label={t('transactions.terminal')}>{row.terminal_id}</Descriptions.Item>
            <Descriptions.Item label={t('transactions.operator')}>{row.operator_id}</Descriptions.Item>
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
