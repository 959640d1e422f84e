import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { problemText } from './problem.js';

const SESSIONS_QUERY = ['me', 'sessions'] as const;

/** My sessions (GET /v1/me/sessions): sign out one, or every session but this one. */
export function SessionsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const sessions = useQuery({ queryKey: SESSIONS_QUERY, queryFn: () => unwrap(api.GET('/v1/me/sessions')) });
  const others = (sessions.data?.data ?? []).filter((s) => !s.current);
  const logout = (id: string) =>
    unwrap(api.POST('/v1/me/sessions/{id}/logout', { params: { path: { id } }, body: {} }));
  const settled = {
    onMutate: () => {
      setError(undefined);
      setNotice(undefined);
    },
    onError: (e: unknown) => setError(problemText(e, t)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: SESSIONS_QUERY }),
  };
  const signOutOne = useMutation({
    mutationFn: logout,
    onSuccess: () => setNotice(t('security.sessions.signedOut')),
    ...settled,
  });
  const signOutOthers = useMutation({
    mutationFn: async () => {
      for (const session of others) await logout(session.id);
    },
    onSuccess: () => setNotice(t('security.sessions.othersSignedOut')),
    ...settled,
  });

  return (
    <Card>
      <Typography.Title level={2}>{t('security.sessions.title')}</Typography.Title>
      <Typography.Paragraph>{t('security.sessions.intro')}</Typography.Paragraph>
      <div role="status" aria-live="polite">
        {notice && <Alert type="success" title={notice} style={{ marginBottom: 16 }} />}
      </div>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <section aria-label={t('security.sessions.list')}>
        <List
          loading={sessions.isLoading}
          dataSource={sessions.data?.data ?? []}
          renderItem={(s) => (
            <List.Item
              actions={
                s.current
                  ? [
                      <Tag key="current" color="blue">
                        {t('security.sessions.current')}
                      </Tag>,
                    ]
                  : [
                      <Button
                        key="logout"
                        onClick={() => signOutOne.mutate(s.id)}
                        loading={signOutOne.isPending && signOutOne.variables === s.id}
                      >
                        {t('security.sessions.signOut')}
                      </Button>,
                    ]
              }
            >
              <List.Item.Meta
                title={t('security.sessions.ip', { ip: s.ip })}
                description={
                  <>
                    {t('security.sessions.createdAt', { time: formatBeijing(s.created_at) })}
                    <br />
                    {t('security.sessions.lastSeenAt', { time: formatBeijing(s.last_seen_at) })}
                  </>
                }
              />
            </List.Item>
          )}
        />
      </section>
      {others.length > 0 ? (
        <Button danger onClick={() => signOutOthers.mutate()} loading={signOutOthers.isPending}>
          {t('security.sessions.signOutOthers')}
        </Button>
      ) : (
        sessions.data && <Typography.Paragraph type="secondary">{t('security.sessions.noOthers')}</Typography.Paragraph>
      )}
    </Card>
  );
}
