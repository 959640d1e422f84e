import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { EmptyText, useOutcome } from '../staff/outcome.js';
import { PublishForm } from './PublishForm.js';

const fetchHistory = () => unwrap(api.GET('/v1/admin/announcements'));
type Published = Awaited<ReturnType<typeof fetchHistory>>['data'][number];
const HISTORY_QUERY = ['admin-announcements'] as const;
/** Tag colours that keep WCAG AA contrast (antd's orange tag falls below it). */
const SEVERITY_COLOURS = { info: undefined, warning: 'blue', urgent: 'red' } as const;

/** The platform admins publish announcements (公告) and see their history with how many acknowledged each. */
export function AnnouncementsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const history = useQuery({ queryKey: HISTORY_QUERY, queryFn: fetchHistory, refetchInterval: 30_000 });

  const audienceText = (a: Published['audience']) =>
    a.kind === 'all'
      ? t('announcements.audienceAll')
      : t(a.kind === 'region' ? 'announcements.audienceRegion' : 'announcements.audienceType', { value: a.value });
  const statusOf = (a: Published) =>
    a.active ? 'active' : Date.parse(a.starts_at) > Date.now() ? 'scheduled' : 'ended';

  const columns = [
    {
      title: t('announcements.columns.title'),
      key: 'title',
      render: (_: unknown, a: Published) => (
        <>
          <Typography.Text strong>{a.title}</Typography.Text>
          <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0, maxWidth: 360 }}>
            {a.body}
          </Typography.Paragraph>
        </>
      ),
    },
    {
      title: t('announcements.columns.severity'),
      key: 'severity',
      render: (_: unknown, a: Published) => (
        <Tag color={SEVERITY_COLOURS[a.severity]}>{t(`announcements.severities.${a.severity}`)}</Tag>
      ),
    },
    {
      title: t('announcements.columns.audience'),
      key: 'audience',
      render: (_: unknown, a: Published) => audienceText(a.audience),
    },
    {
      title: t('announcements.columns.window'),
      key: 'window',
      render: (_: unknown, a: Published) =>
        t('announcements.windowText', { from: formatBeijing(a.starts_at), to: formatBeijing(a.ends_at) }),
    },
    {
      title: t('announcements.columns.status'),
      key: 'status',
      render: (_: unknown, a: Published) => t(`announcements.statuses.${statusOf(a)}`),
    },
    {
      title: t('announcements.columns.acknowledged'),
      key: 'acknowledged',
      render: (_: unknown, a: Published) => t('announcements.acknowledgedBy', a.acknowledged_by),
    },
  ];

  return (
    <>
      <Typography.Title level={1}>{t('announcements.title')}</Typography.Title>
      <Typography.Paragraph>{t('announcements.intro')}</Typography.Paragraph>
      {outcome.banner}
      <PublishForm
        onPublished={(title, urgent) => {
          outcome.succeeded(t(urgent ? 'announcements.publishedUrgent' : 'announcements.published', { title }));
          void queryClient.invalidateQueries({ queryKey: HISTORY_QUERY });
        }}
      />
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {t('announcements.historyTitle')}
      </Typography.Title>
      <Table<Published>
        aria-label={t('announcements.historyList')}
        rowKey="id"
        size="small"
        loading={history.isLoading}
        dataSource={history.data?.data ?? []}
        columns={columns}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: true }}
        locale={{ emptyText: <EmptyText text={t('announcements.empty')} /> }}
      />
    </>
  );
}
