import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { useSession } from '../../session.js';
import { problemText } from '../security/problem.js';

/**
 * The cases waiting for a second agent's approval (checks recorded, not expired), newest first, 20 at a time: the
 * second agent's way in without a case number. The viewer's own cases are marked: the server refuses their approval.
 */
export function WaitingCases({ onOpen }: { onOpen: (caseId: string) => void }) {
  const { t } = useTranslation();
  const me = useSession().user;
  const waiting = useInfiniteQuery({
    queryKey: ['support-cases', 'checks_recorded'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/support/cases', {
          params: { query: { status: 'checks_recorded', limit: 20, starting_after: pageParam } },
        }),
      ),
    getNextPageParam: (last) => (last.has_more ? last.data.at(-1)?.id : undefined),
  });
  const cases = waiting.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
          {t('support.waiting.title')}
        </Typography.Title>
      }
    >
      {waiting.error && <Alert type="error" showIcon title={problemText(waiting.error, t)} />}
      {waiting.isSuccess && cases.length === 0 && <Empty description={t('support.waiting.none')} />}
      {cases.length > 0 && (
        <section aria-label={t('support.waiting.title')}>
          <List
            dataSource={cases}
            renderItem={(c) => (
              <List.Item key={c.id}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Typography.Title level={3} style={{ margin: 0, fontSize: 15 }}>
                    {c.merchant_name}
                  </Typography.Title>
                  <Space wrap>
                    <Typography.Text style={{ wordBreak: 'break-all' }}>{c.id}</Typography.Text>
                    <Tag>{t(`support.kind.${c.kind}`)}</Tag>
                    {c.opened_by !== null && c.opened_by === me?.id && <Tag>{t('support.waiting.mine')}</Tag>}
                  </Space>
                  <Typography.Text>
                    {t('support.waiting.expires', { time: formatBeijing(c.expires_at) })}
                  </Typography.Text>
                  <Button onClick={() => onOpen(c.id)}>{t('support.waiting.open', { id: c.id })}</Button>
                </Space>
              </List.Item>
            )}
          />
        </section>
      )}
      {waiting.hasNextPage && (
        <Button onClick={() => waiting.fetchNextPage()} loading={waiting.isFetchingNextPage}>
          {t('support.waiting.more')}
        </Button>
      )}
    </Card>
  );
}
