import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../../../src/sdk/api-types.js';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { ScrollRegion } from '../dashboard/ScrollRegion.js';
import { errorText } from '../sign-in/SignInPage.js';

type Delivery =
  paths['/v1/webhook-endpoints/{id}/deliveries']['get']['responses'][200]['content']['application/json']['data'][number];

/**
 * The delivery attempts of one endpoint, newest first. A message whose latest attempt failed can be sent again now
 * (POST /v1/messages/{id}/retry): while the outbox still retries it, or after it gave up.
 */
export function Deliveries({ endpoint }: { endpoint: { id: string; url: string } }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const key = ['webhook-deliveries', endpoint.id];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpoint.id } } })),
  });
  const retry = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/messages/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => {
      void message.success(t('webhooks.retried'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  // The newest attempt of each message (the list is newest first).
  const latest = new Set<string>();
  const seen = new Set<string>();
  for (const d of deliveries.data?.data ?? []) {
    if (!seen.has(d.outbox_id)) latest.add(d.id);
    seen.add(d.outbox_id);
  }
  const title = t('webhooks.deliveriesOf', { url: endpoint.url });
  const failure = deliveries.error ?? retry.error;

  return (
    <section aria-label={title}>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24, wordBreak: 'break-all' }}>
        {title}
      </Typography.Title>
      {failure ? (
        <Alert type="error" role="alert" showIcon title={errorText(failure, t('shell.error.unknown'))} />
      ) : null}
      <ScrollRegion label={t('webhooks.deliveries')}>
        <Table<Delivery>
          aria-label={t('webhooks.deliveries')}
          rowKey="id"
          size="small"
          pagination={false}
          loading={deliveries.isLoading}
          dataSource={deliveries.data?.data ?? []}
          locale={{ emptyText: t('webhooks.noDeliveries') }}
          columns={[
            { title: t('webhooks.time'), key: 'at', render: (_: unknown, d: Delivery) => formatBeijing(d.at, true) },
            { title: t('webhooks.event'), key: 'event', render: (_: unknown, d: Delivery) => <code>{d.event}</code> },
            {
              title: t('webhooks.attempt'),
              key: 'attempt',
              align: 'right',
              render: (_: unknown, d: Delivery) => d.attempt,
            },
            {
              title: t('webhooks.result'),
              key: 'result',
              render: (_: unknown, d: Delivery) => (
                <>
                  <Tag color={d.ok ? 'blue' : 'red'}>{d.ok ? t('webhooks.ok') : t('webhooks.failed')}</Tag>
                  {d.status_code ? `HTTP ${d.status_code}` : (d.error ?? '')}
                </>
              ),
            },
            {
              title: t('webhooks.duration'),
              key: 'duration',
              responsive: ['md'],
              align: 'right',
              render: (_: unknown, d: Delivery) => `${d.duration_ms} ms`,
            },
            {
              title: t('webhooks.actions'),
              key: 'retry',
              render: (_: unknown, d: Delivery) =>
                !d.ok && latest.has(d.id) ? (
                  <Button
                    size="small"
                    aria-label={`${t('webhooks.retry')} ${d.outbox_id}`}
                    loading={retry.isPending && retry.variables === d.outbox_id}
                    onClick={() => retry.mutate(d.outbox_id)}
                  >
                    {t('webhooks.retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </ScrollRegion>
    </section>
  );
}
