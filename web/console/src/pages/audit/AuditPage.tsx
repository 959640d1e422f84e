import { useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../../../src/sdk/api-types.js';
import { api, unwrap } from '../../api.js';
import { beijingDayStart, formatBeijing } from '../../format.js';
import { ScrollRegion } from '../dashboard/ScrollRegion.js';
import { errorText } from '../sign-in/SignInPage.js';
import { ChainStatus } from './ChainStatus.js';

type AuditQuery = NonNullable<paths['/v1/audit']['get']['parameters']['query']>;
type Entry = paths['/v1/audit']['get']['responses'][200]['content']['application/json']['data'][number];
const PAGE = 20;
const KNOWN_EVENTS = [
  'refund.unlocked',
  'operator.unlocked',
  'operator.lockout',
  'operator.sign_in',
  'refund.velocity_alert',
  'audit.read',
];

interface FilterForm {
  from?: Dayjs | null;
  to?: Dayjs | null;
  actor_id?: string;
  event?: string;
  object_id?: string;
}

function queryOf(f: FilterForm): Omit<AuditQuery, 'limit'> {
  const q: Omit<AuditQuery, 'limit'> = {};
  if (f.from) q.from = beijingDayStart(f.from);
  if (f.to) q.to = beijingDayStart(f.to.add(1, 'day')); // the API's `to` is exclusive;
  if (f.actor_id?.trim()) q.actor_id = f.actor_id.trim();
  if (f.event?.trim()) q.event = f.event.trim();
  if (f.object_id?.trim()) q.object_id = f.object_id.trim();
  return q;
}

/** 审计日志: who did what, when, to what and with which outcome; filters, pages by sequence, the chain's status. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<FilterForm>();
  const [filters, setFilters] = useState<Omit<AuditQuery, 'limit'>>({});
  // The `before_seq` cursors of the pages before this one ("Next page" pushes, "First page" clears).
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors.at(-1);
  const list = useQuery({
    queryKey: ['audit-log', filters, before],
    queryFn: () =>
      unwrap(
        api.GET('/v1/audit', {
          params: { query: { ...filters, limit: PAGE, ...(before ? { before_seq: before } : {}) } },
        }),
      ),
  });
  const eventName = (event: string) => {
    const key = `audit.events.${event.replaceAll('.', '_')}`;
    return i18n.exists(key) ? t(key) : event;
  };
  const search = (values: FilterForm) => {
    setFilters(queryOf(values));
    setCursors([]);
  };

  const columns = [
    { title: t('audit.seq'), key: 'seq', render: (_: unknown, e: Entry) => e.seq },
    { title: t('audit.time'), key: 'time', render: (_: unknown, e: Entry) => formatBeijing(e.at, true) },
    {
      title: t('audit.who'),
      key: 'actor',
      render: (_: unknown, e: Entry) => (
        <>
          {i18n.exists(`audit.actorTypes.${e.actor.type}`) ? t(`audit.actorTypes.${e.actor.type}`) : e.actor.type}
          {e.actor.id ? (
            <>
              {' '}
              <code>{e.actor.id}</code>
            </>
          ) : null}
        </>
      ),
    },
    {
      title: t('audit.event'),
      key: 'event',
      render: (_: unknown, e: Entry) => (
        <>
          {eventName(e.event)}
          <br />
          <code>{e.event}</code>
        </>
      ),
    },
    {
      title: t('audit.outcome'),
      key: 'outcome',
      render: (_: unknown, e: Entry) => (
        <Tag color={e.outcome === 'failure' ? 'red' : undefined}>{t(`audit.outcomes.${e.outcome}`)}</Tag>
      ),
    },
    {
      title: t('audit.object'),
      key: 'object',
      render: (_: unknown, e: Entry) => (e.object ? <code>{`${e.object.type} ${e.object.id}`}</code> : '—'),
    },
    {
      title: t('audit.origin'),
      key: 'origin',
      responsive: ['md' as const],
      render: (_: unknown, e: Entry) => e.origin ?? '—',
    },
    {
      title: t('audit.detail'),
      key: 'detail',
      responsive: ['lg' as const],
      render: (_: unknown, e: Entry) => (
        <code style={{ wordBreak: 'break-all', fontSize: 12 }}>{JSON.stringify(e.detail).slice(0, 300)}</code>
      ),
    },
  ];

  return (
    <>
      <Typography.Title level={1}>{t('audit.title')}</Typography.Title>
      <ChainStatus />
      <Form form={form} layout="inline" onFinish={search} aria-label={t('audit.filters')} style={{ rowGap: 8 }}>
        <Form.Item name="from" label={t('audit.dates')}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="to" label="–" colon={false}>
          <DatePicker aria-label={`${t('audit.dates')} –`} />
        </Form.Item>
        <Form.Item name="actor_id" label={t('audit.actor')}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        {/* A native suggestion list: antd's AutoComplete leaves an unnamed listbox in the page (axe: serious). */}
        <Form.Item name="event" label={t('audit.action')}>
          <Input allowClear list="audit-events" style={{ width: 200 }} />
        </Form.Item>
        <datalist id="audit-events">
          {KNOWN_EVENTS.map((e) => (
            <option key={e} value={e} label={eventName(e)} />
          ))}
        </datalist>
        <Form.Item name="object_id" label={t('audit.objectId')}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit">
            {t('audit.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              search({});
            }}
          >
            {t('audit.reset')}
          </Button>
        </Space>
      </Form>
      {list.error ? (
        <Alert type="error" role="alert" showIcon title={errorText(list.error, t('shell.error.unknown'))} />
      ) : null}
      <ScrollRegion label={t('audit.table')}>
        <Table<Entry>
          style={{ marginTop: 16 }}
          aria-label={t('audit.table')}
          rowKey="seq"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.data ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('audit.empty') }}
        />
      </ScrollRegion>
      <Space style={{ marginTop: 12 }}>
        <Button disabled={cursors.length === 0} onClick={() => setCursors([])}>
          {t('audit.firstPage')}
        </Button>
        <Button
          disabled={!list.data?.next_before_seq}
          onClick={() => {
            const next = list.data?.next_before_seq;
            if (next) setCursors([...cursors, next]);
          }}
        >
          {t('audit.nextPage')}
        </Button>
      </Space>
    </>
  );
}
