import { useQueries, useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Form, type FormInstance, Input, InputNumber, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { beijingDayStart } from '../../format.js';

export type Kind = 'sales' | 'refunds';
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

/** What the filter form holds: amounts in yuan as a person types them, Beijing days; the API takes fen and instants. */
export interface FilterForm {
  from?: Dayjs | null;
  to?: Dayjs | null;
  reference?: string;
  card_last4?: string;
  method?: (typeof METHODS)[number];
  status?: string;
  store_id?: string;
  terminal_id?: string;
  operator_id?: string;
  amount_min?: number | null;
  amount_max?: number | null;
}

/** The query string of both the list and its CSV export: the same filters, so the file is exactly what is shown. */
export function queryOf(f: FilterForm): Record<string, string> {
  const q: Record<string, string> = {};
  // Whole Beijing days: from the first day's start (inclusive) to the day after the last one (exclusive).
  if (f.from) q.created_from = beijingDayStart(f.from);
  if (f.to) q.created_to = beijingDayStart(f.to.add(1, 'day'));
  if (f.reference?.trim()) q.reference = f.reference.trim();
  if (f.card_last4?.trim()) q.card_last4 = f.card_last4.trim();
  for (const key of ['method', 'status', 'store_id', 'terminal_id', 'operator_id'] as const) {
    const value = f[key];
    if (value) q[key] = value;
  }
  if (f.amount_min != null) q.amount_min = String(Math.round(f.amount_min * 100));
  if (f.amount_max != null) q.amount_max = String(Math.round(f.amount_max * 100));
  return q;
}

/**
 * The merchant's stores, their terminals (GET /v1/stores/:id/terminals) and operators (GET /v1/operators), with the
 * names people know them by: the filters offer them and the list and detail show them instead of internal ids.
 */
export function useDirectory() {
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => unwrap(api.GET('/v1/stores')) });
  const storeList = stores.data?.data ?? [];
  const terminals = useQueries({
    queries: storeList.map((s) => ({
      queryKey: ['stores', s.id, 'terminals'],
      queryFn: () => unwrap(api.GET('/v1/stores/{id}/terminals', { params: { path: { id: s.id } } })),
    })),
  }).flatMap((q) => q.data?.data ?? []);
  const operators = useQuery({ queryKey: ['operators'], queryFn: () => unwrap(api.GET('/v1/operators')) });
  const storeName = (id: string) => storeList.find((s) => s.id === id)?.name ?? id;
  const terminalName = (id: string) => terminals.find((x) => x.id === id)?.name ?? id;
  const operatorName = (id: string) => {
    const op = operators.data?.data.find((o) => o.id === id);
    return op ? `${op.operator_no} ${op.name}` : id;
  };
  return { stores: storeList, terminals, operators: operators.data?.data ?? [], storeName, terminalName, operatorName };
}

type Directory = ReturnType<typeof useDirectory>;

/** The filter form of the transactions page; Search applies it, Reset clears it, Export CSV downloads what is shown. */
export function TransactionFilters({
  form,
  kind,
  directory,
  onSearch,
  onExport,
}: {
  form: FormInstance<FilterForm>;
  kind: Kind;
  directory: Directory;
  onSearch: (values: FilterForm) => void;
  onExport: () => void;
}) {
  const { t } = useTranslation();
  const { stores, terminals, operators, storeName } = directory;
  const select = (options: { value: string; label: string }[], width: number) => (
    <Select allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width }} options={options} />
  );
  return (
    <Form form={form} layout="inline" onFinish={onSearch} aria-label={t('transactions.filters')} style={{ rowGap: 8 }}>
      <Form.Item name="from" label={t('transactions.dateFrom')}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="to" label={t('transactions.dateTo')}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="reference" label={t('transactions.reference')}>
        <Input allowClear style={{ width: 220 }} />
      </Form.Item>
      <Form.Item name="card_last4" label={t('transactions.cardLast4')} rules={[{ pattern: /^\d{4}$/ }]}>
        <Input allowClear inputMode="numeric" maxLength={4} style={{ width: 90 }} />
      </Form.Item>
      <Form.Item name="method" label={t('transactions.method')}>
        {select(
          METHODS.map((m) => ({ value: m, label: t(`transactions.methods.${m}`) })),
          130,
        )}
      </Form.Item>
      <Form.Item name="status" label={t('transactions.status')}>
        {select(
          (kind === 'sales' ? SALE_STATUSES : REFUND_STATUSES).map((s) => ({
            value: s,
            label: t(`transactions.statuses.${s}`),
          })),
          140,
        )}
      </Form.Item>
      <Form.Item name="store_id" label={t('transactions.store')}>
        {select(
          stores.map((s) => ({ value: s.id, label: s.name })),
          160,
        )}
      </Form.Item>
      <Form.Item name="terminal_id" label={t('transactions.terminal')}>
        {select(
          terminals.map((x) => ({ value: x.id, label: `${x.name} · ${storeName(x.store_id)}` })),
          200,
        )}
      </Form.Item>
      <Form.Item name="operator_id" label={t('transactions.operator')}>
        {select(
          operators.map((o) => ({ value: o.id, label: `${o.operator_no} ${o.name} · ${storeName(o.store_id)}` })),
          200,
        )}
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
            onSearch({});
          }}
        >
          {t('transactions.reset')}
        </Button>
        <Button onClick={onExport}>{t('transactions.exportCsv')}</Button>
      </Space>
    </Form>
  );
}
