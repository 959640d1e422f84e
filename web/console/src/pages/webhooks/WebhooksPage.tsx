import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../../../src/sdk/api-types.js';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { ReauthCanceled, useReauth } from '../../reauth.js';
import { errorText } from '../sign-in/SignInPage.js';
import { Deliveries } from './Deliveries.js';

type Endpoint = paths['/v1/webhook-endpoints']['get']['responses'][200]['content']['application/json']['data'][number];
const ENDPOINTS = ['webhook-endpoints'] as const;

/** Webhook 通知 (owners): endpoints (add, with the secret shown once; disable), and the deliveries of one. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ url: string }>();
  const [selected, setSelected] = useState<Endpoint>();
  const [secret, setSecret] = useState<string>();
  const endpoints = useQuery({ queryKey: ENDPOINTS, queryFn: () => unwrap(api.GET('/v1/webhook-endpoints')) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ENDPOINTS });
  const create = useMutation({
    mutationFn: (url: string) => withReauth(() => unwrap(api.POST('/v1/webhook-endpoints', { body: { url } }))),
    onSuccess: (created) => {
      setSecret(created.secret);
      form.resetFields();
      void refresh();
    },
  });
  const disable = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/webhook-endpoints/{id}/disable', { params: { path: { id } } })),
    onSuccess: () => {
      void message.success(t('webhooks.disabled'));
      void refresh();
    },
  });
  const failure = [endpoints.error, create.error, disable.error].find((e) => e && !(e instanceof ReauthCanceled));

  return (
    <>
      <Typography.Title level={1}>{t('webhooks.title')}</Typography.Title>
      <Typography.Paragraph>{t('webhooks.intro')}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={({ url }) => create.mutate(url)} style={{ rowGap: 8 }}>
        <Form.Item name="url" label={t('webhooks.url')} rules={[{ required: true, message: '' }]}>
          <Input type="url" placeholder="https://" style={{ width: 320, maxWidth: '100%' }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('webhooks.add')}
        </Button>
      </Form>
      {secret ? (
        <Alert
          type="success"
          role="status"
          showIcon
          closable={{ onClose: () => setSecret(undefined) }}
          style={{ marginTop: 12 }}
          title={t('webhooks.secretOnce')}
          description={
            <Typography.Text copyable className="rk-secret" aria-label={t('webhooks.secret')}>
              {secret}
            </Typography.Text>
          }
        />
      ) : null}
      {failure ? (
        <Alert
          type="error"
          role="alert"
          showIcon
          style={{ marginTop: 12 }}
          title={errorText(failure, t('shell.error.unknown'))}
        />
      ) : null}
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
        {t('webhooks.endpoints')}
      </Typography.Title>
      <Table<Endpoint>
        aria-label={t('webhooks.endpoints')}
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        loading={endpoints.isLoading}
        dataSource={endpoints.data?.data ?? []}
        locale={{ emptyText: t('webhooks.noEndpoints') }}
        columns={[
          { title: t('webhooks.url'), key: 'url', render: (_: unknown, e: Endpoint) => <code>{e.url}</code> },
          {
            title: t('webhooks.events'),
            key: 'events',
            responsive: ['md'],
            render: (_: unknown, e: Endpoint) =>
              e.events.includes('*') ? t('webhooks.allEvents') : e.events.join(', '),
          },
          {
            title: t('webhooks.status'),
            key: 'status',
            render: (_: unknown, e: Endpoint) => (
              <Tag color={e.status === 'active' ? 'blue' : undefined}>{t(`webhooks.statuses.${e.status}`)}</Tag>
            ),
          },
          {
            title: t('webhooks.createdAt'),
            key: 'created',
            responsive: ['md'],
            render: (_: unknown, e: Endpoint) => formatBeijing(e.created_at),
          },
          {
            title: t('webhooks.actions'),
            key: 'actions',
            render: (_: unknown, e: Endpoint) => (
              <Space wrap>
                <Button
                  size="small"
                  onClick={() => setSelected(e)}
                  aria-label={`${t('webhooks.showDeliveries')} ${e.url}`}
                >
                  {t('webhooks.deliveries')}
                </Button>
                {e.status === 'active' ? (
                  <Popconfirm title={t('webhooks.disableConfirm')} onConfirm={() => disable.mutate(e.id)}>
                    <Button size="small" danger aria-label={`${t('webhooks.disable')} ${e.url}`}>
                      {t('webhooks.disable')}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {selected ? (
        <Deliveries endpoint={selected} />
      ) : (
        <Typography.Paragraph style={{ marginTop: 16 }}>{t('webhooks.pick')}</Typography.Paragraph>
      )}
    </>
  );
}
