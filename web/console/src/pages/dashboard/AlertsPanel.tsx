import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Row, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../../../src/sdk/api-types.js';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { ReauthCanceled, useReauth } from '../../reauth.js';
import { errorText } from '../sign-in/SignInPage.js';

type Alerts = paths['/v1/reports/alerts']['get']['responses'][200]['content']['application/json'];
type Lockout = Alerts['lockouts'][number];

const LOCK_KINDS = ['refund_auth', 'refund_key', 'operator_pin', 'operator_pin_terminal'];
const ALERTS = ['alerts'] as const;

/** The route that ends a lock early (the server names it in `unlock`); all of them ask for fresh re-authentication. */
async function unlock(lock: Lockout): Promise<unknown> {
  const terminal = lock.subject.split(':')[0] ?? lock.subject;
  if (lock.kind === 'refund_auth') {
    return unwrap(api.POST('/v1/merchants/{id}/refund-lock/unlock', { params: { path: { id: lock.subject } } }));
  }
  if (lock.kind === 'refund_key') {
    return unwrap(api.POST('/v1/terminals/{id}/refund-lock/unlock', { params: { path: { id: lock.subject } } }));
  }
  return unwrap(api.POST('/v1/terminals/{id}/operator-lock/unlock', { params: { path: { id: terminal } } }));
}

function Section({ title, empty, children }: { title: string; empty: string; children: ReactNode[] }) {
  return (
    <Card size="small" title={<h3 style={{ fontSize: 15, margin: 0 }}>{title}</h3>}>
      {children.length > 0 ? (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 12 }}>{children}</ul>
      ) : (
        <Typography.Paragraph style={{ margin: 0 }}>{empty}</Typography.Paragraph>
      )}
    </Card>
  );
}

/** 待处理提醒 (owners): lockouts with Unlock (re-authenticated), velocity alerts, failed messages with Send again. */
export function AlertsPanel() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const alerts = useQuery({ queryKey: ALERTS, queryFn: () => unwrap(api.GET('/v1/reports/alerts')) });
  const done = (text: string) => {
    void message.success(text);
    void queryClient.invalidateQueries({ queryKey: ALERTS });
  };
  const unlocking = useMutation({
    mutationFn: (lock: Lockout) => withReauth(() => unlock(lock)),
    onSuccess: () => done(t('dashboard.unlocked')),
  });
  const retrying = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/messages/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => done(t('dashboard.retried')),
  });
  const failure = [unlocking.error, retrying.error].find((e) => e && !(e instanceof ReauthCanceled));
  const a = alerts.data;
  const kindName = (kind: string) => t(`dashboard.lockKinds.${LOCK_KINDS.includes(kind) ? kind : 'other'}`);
  /** Where a lock is, as the owner knows it: the whole merchant, or a terminal's name and an operator number. */
  const placeOf = (lock: Lockout) =>
    lock.kind === 'refund_auth'
      ? t('dashboard.wholeMerchant')
      : lock.operator_no
        ? t('dashboard.lockOperator', { terminal: lock.terminal_name ?? '—', operator: lock.operator_no })
        : t('dashboard.lockTerminal', { terminal: lock.terminal_name ?? '—' });
  const channel = (c: string) => (i18n.exists(`dashboard.channels.${c}`) ? t(`dashboard.channels.${c}`) : c);

  return (
    <section aria-labelledby="rk-alerts" style={{ marginTop: 24 }}>
      <Typography.Title level={2} id="rk-alerts" style={{ fontSize: 20 }}>
        {t('dashboard.alerts')}
      </Typography.Title>
      {alerts.error || failure ? (
        <Alert
          type="error"
          role="alert"
          showIcon
          style={{ marginBottom: 12 }}
          title={errorText(alerts.error ?? failure, t('shell.error.unknown'))}
        />
      ) : null}
      {a ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={8}>
            <Section title={t('dashboard.lockouts')} empty={t('dashboard.noLockouts')}>
              {a.lockouts.map((lock) => (
                <li key={`${lock.kind}:${lock.subject}`}>
                  <Tag color="red">{kindName(lock.kind)}</Tag> {placeOf(lock)}
                  <div>{t('dashboard.lockedUntil', { time: formatBeijing(lock.locked_until) })}</div>
                  {lock.unlock ? (
                    <Button
                      size="small"
                      style={{ marginTop: 4 }}
                      aria-label={`${t('dashboard.unlock')} ${placeOf(lock)}`}
                      loading={unlocking.isPending && unlocking.variables === lock}
                      onClick={() => unlocking.mutate(lock)}
                    >
                      {t('dashboard.unlock')}
                    </Button>
                  ) : null}
                </li>
              ))}
            </Section>
          </Col>
          <Col xs={24} lg={8}>
            <Section title={t('dashboard.velocity')} empty={t('dashboard.noVelocity')}>
              {a.velocity.map((v) => (
                <li key={`${v.at}:${v.operator_id}`}>
                  {t('dashboard.velocityText', {
                    operator: [v.operator_no, v.name].filter(Boolean).join(' ') || v.operator_id,
                    count: v.count,
                    minutes: v.window_minutes,
                    terminal: v.terminal_name ?? '—',
                    store: v.store_name ?? '—',
                  })}
                  <div>
                    <Typography.Text type="secondary">{formatBeijing(v.at)}</Typography.Text>
                  </div>
                </li>
              ))}
            </Section>
          </Col>
          <Col xs={24} lg={8}>
            <Section title={t('dashboard.failedMessages')} empty={t('dashboard.noFailedMessages')}>
              {a.failed_messages.map((m) => (
                <li key={m.id}>
                  <Tag>{channel(m.channel)}</Tag> {m.template}
                  <div>
                    <Typography.Text type="secondary">
                      {formatBeijing(m.failed_at)} · {t('dashboard.attempts', { count: m.attempts })}
                      {m.last_error ? ` · ${m.last_error}` : ''}
                    </Typography.Text>
                  </div>
                  <Button
                    size="small"
                    style={{ marginTop: 4 }}
                    aria-label={`${t('dashboard.retry')} ${m.id}`}
                    loading={retrying.isPending && retrying.variables === m.id}
                    onClick={() => retrying.mutate(m.id)}
                  >
                    {t('dashboard.retry')}
                  </Button>
                </li>
              ))}
            </Section>
          </Col>
        </Row>
      ) : null}
    </section>
  );
}
