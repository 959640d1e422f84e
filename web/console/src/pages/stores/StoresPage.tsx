import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Form, Input, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing, formatYuan } from '../../format.js';
import { useSession } from '../../session.js';
import { STORES_QUERY, useOutcome } from '../staff/outcome.js';

const fetchPolicy = (id: string) => unwrap(api.GET('/v1/stores/{id}/refund-policy', { params: { path: { id } } }));
type PolicyView = Awaited<ReturnType<typeof fetchPolicy>>;
/** One store's refund policy (the stores page and the security page share the cache entry). */
export const policyQuery = (id: string) => ({
  queryKey: ['refund-policy', id],
  queryFn: () => fetchPolicy(id),
  retry: false,
});
/** The parts of a refund policy the summary reads (docs/api.md, src/modules/authorization/refund-policy.ts). */
interface Policy {
  thresholds: { key_only_max: number; key_and_code_max: number };
  original_tender_only: boolean;
  cash_refund_cap: number | null;
  caps: {
    operator_daily_amount: number | null;
    operator_daily_count: number | null;
    store_daily_amount: number | null;
    store_daily_count: number | null;
  };
  velocity: { count: number; window_minutes: number };
}

/** "¥5,000.00 / 20 refunds" out of a daily amount cap and a daily count cap, either of which may be absent. */
function dailyLimit(t: TFunction, amount: number | null, count: number | null): string {
  const parts = [];
  if (amount !== null) parts.push(t('stores.dailyAmount', { amount: formatYuan(amount) }));
  if (count !== null) parts.push(t('stores.dailyCount', { count }));
  return parts.join(' / ');
}

/** A list of cards, one column on a phone, more on a wide screen. */
export const CARDS = {
  listStyle: 'none',
  padding: 0,
  margin: 0,
  display: 'grid',
  gap: 16,
  gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 340px), 1fr))',
} as const;
export const CARD_TITLE = { fontSize: 16, margin: 0, fontWeight: 600 } as const;

/** 门店: the stores in scope with their refund policy in a few lines; the owner opens new stores here. */
export function StoresPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [form] = Form.useForm<{ name: string }>();
  const stores = useQuery({ queryKey: STORES_QUERY, queryFn: () => unwrap(api.GET('/v1/stores')) });
  const list = stores.data?.data ?? [];
  const policies = useQueries({
    queries: list.map((s) => policyQuery(s.id)),
  });
  const create = useMutation({
    mutationFn: (name: string) => unwrap(api.POST('/v1/stores', { body: { name } })),
    onMutate: outcome.clear,
    onSuccess: (store) => {
      form.resetFields();
      outcome.succeeded(t('stores.created', { name: store.name }));
    },
    onError: outcome.failed,
    onSettled: () => queryClient.invalidateQueries({ queryKey: STORES_QUERY }),
  });

  return (
    <>
      <Typography.Title level={1}>{t('stores.title')}</Typography.Title>
      <Typography.Paragraph>{t('stores.intro')}</Typography.Paragraph>
      {user?.role === 'owner' && (
        <Form
          form={form}
          name="new-store"
          layout="inline"
          requiredMark={false}
          onFinish={({ name }) => create.mutate(name.trim())}
          style={{ rowGap: 8, marginBottom: 16 }}
          aria-label={t('stores.add')}
        >
          <Form.Item
            label={t('stores.storeName')}
            name="name"
            rules={[{ required: true, whitespace: true, message: t('stores.required') }]}
          >
            <Input maxLength={100} style={{ width: 220 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('stores.create')}
          </Button>
        </Form>
      )}
      {outcome.banner}
      {stores.isSuccess && list.length === 0 && <Empty description={t('stores.empty')} />}
      <ul aria-label={t('stores.list')} style={CARDS}>
        {list.map((store, i) => (
          <li key={store.id}>
            <Card size="small" title={<h2 style={CARD_TITLE}>{store.name}</h2>}>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                {t('stores.id')}: <code>{store.id}</code>
              </Typography.Paragraph>
              <PolicySummary query={policies[i]} />
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The policy in a few lines: thresholds, tender rule, cash cap, windows, last change. */
export function PolicySummary({ query }: { query: { data?: PolicyView; isError: boolean } | undefined }) {
  const { t } = useTranslation();
  if (query?.isError) return <Typography.Text type="secondary">{t('stores.policyHidden')}</Typography.Text>;
  if (!query?.data) return <Typography.Text type="secondary">{t('stores.policyLoading')}</Typography.Text>;
  const view = query.data;
  const policy = view.policy as unknown as Policy;
  const { key_only_max, key_and_code_max } = policy.thresholds;
  return (
    <>
      <Typography.Text strong>{t('stores.policy')}</Typography.Text>
      <ul style={{ margin: '4px 0 8px', paddingInlineStart: 20 }}>
        <li>{t('stores.keyOnly', { amount: formatYuan(key_only_max) })}</li>
        <li>{t('stores.keyAndCode', { amount: formatYuan(key_and_code_max) })}</li>
        <li>{t('stores.approval', { amount: formatYuan(key_and_code_max) })}</li>
        <li>{policy.original_tender_only ? t('stores.originalTender') : t('stores.anyTender')}</li>
        {policy.cash_refund_cap !== null && (
          <li>{t('stores.cashCap', { amount: formatYuan(policy.cash_refund_cap) })}</li>
        )}
        {(policy.caps.operator_daily_amount ?? policy.caps.operator_daily_count) !== null && (
          <li>
            {t('stores.operatorDaily', {
              limit: dailyLimit(t, policy.caps.operator_daily_amount, policy.caps.operator_daily_count),
            })}
          </li>
        )}
        {(policy.caps.store_daily_amount ?? policy.caps.store_daily_count) !== null && (
          <li>
            {t('stores.storeDaily', {
              limit: dailyLimit(t, policy.caps.store_daily_amount, policy.caps.store_daily_count),
            })}
          </li>
        )}
        <li>{t('stores.velocity', { count: policy.velocity.count, minutes: policy.velocity.window_minutes })}</li>
        <li>{t('stores.windows', view.effective_windows_days)}</li>
      </ul>
      <Space>
        <Typography.Text type="secondary">
          {view.updated_at ? t('stores.updatedAt', { at: formatBeijing(view.updated_at) }) : t('stores.defaults')}
        </Typography.Text>
      </Space>
    </>
  );
}
