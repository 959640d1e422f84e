import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBeijing } from '../../format.js';
import { ScrollRegion } from '../dashboard/ScrollRegion.js';

/** One message as GET /dev/outbox shows it (a development route, left out of the OpenAPI document). */
interface DevMessage {
  id: string;
  channel: 'sms' | 'email' | 'webhook';
  to: string;
  template: string;
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';
  created_at: string;
  subject: string | null;
  text: string | null;
  code: string | null;
}

class OutboxOff extends Error {}

async function fetchOutbox(to: string): Promise<DevMessage[]> {
  const query = new URLSearchParams({ limit: '100', ...(to ? { to } : {}) });
  const response = await fetch(`/dev/outbox?${query.toString()}`, { credentials: 'same-origin' });
  // Not registered in production, nor when the server listens on a non-loopback address.
  if (response.status === 404) throw new OutboxOff();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return ((await response.json()) as { messages: DevMessage[] }).messages;
}

/** 开发发件箱 (development mode only): the messages the development transport recorded, codes visible. */
export function OutboxPage() {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const messages = useQuery({ queryKey: ['dev-outbox', to], queryFn: () => fetchOutbox(to), retry: false });

  return (
    <>
      <Typography.Title level={1}>{t('outbox.title')}</Typography.Title>
      <Typography.Paragraph>{t('outbox.intro')}</Typography.Paragraph>
      <Form layout="inline" onFinish={(v: { to?: string }) => setTo(v.to?.trim() ?? '')} style={{ rowGap: 8 }}>
        <Form.Item name="to" label={t('outbox.recipient')}>
          <Input allowClear style={{ width: 240 }} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit">
            {t('outbox.search')}
          </Button>
          <Button onClick={() => void messages.refetch()}>{t('outbox.refresh')}</Button>
        </Space>
      </Form>
      {messages.error ? (
        <Alert
          type={messages.error instanceof OutboxOff ? 'info' : 'error'}
          role="alert"
          showIcon
          style={{ marginTop: 12 }}
          title={messages.error instanceof OutboxOff ? t('outbox.off') : t('shell.error.unknown')}
        />
      ) : null}
      <ScrollRegion label={t('outbox.table')}>
        <Table<DevMessage>
          style={{ marginTop: 16 }}
          aria-label={t('outbox.table')}
          rowKey="id"
          size="small"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          loading={messages.isLoading}
          dataSource={messages.data ?? []}
          locale={{ emptyText: t('outbox.empty') }}
          columns={[
            {
              title: t('outbox.time'),
              key: 'time',
              render: (_: unknown, m: DevMessage) => formatBeijing(m.created_at),
            },
            {
              title: t('outbox.channel'),
              key: 'channel',
              render: (_: unknown, m: DevMessage) => <Tag>{t(`outbox.channels.${m.channel}`)}</Tag>,
            },
            { title: t('outbox.to'), key: 'to', render: (_: unknown, m: DevMessage) => <code>{m.to}</code> },
            {
              title: t('outbox.template'),
              key: 'template',
              responsive: ['md'],
              render: (_: unknown, m: DevMessage) => m.template,
            },
            {
              title: t('outbox.status'),
              key: 'status',
              render: (_: unknown, m: DevMessage) => t(`outbox.statuses.${m.status}`),
            },
            {
              title: t('outbox.code'),
              key: 'code',
              render: (_: unknown, m: DevMessage) => (m.code ? <strong>{m.code}</strong> : '—'),
            },
            {
              title: t('outbox.text'),
              key: 'text',
              render: (_: unknown, m: DevMessage) => (
                <div style={{ maxWidth: 420, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {m.subject ? <strong>{m.subject}</strong> : null}
                  {m.subject ? <br /> : null}
                  {(m.text ?? '').slice(0, 500)}
                </div>
              ),
            },
          ]}
        />
      </ScrollRegion>
    </>
  );
}
