import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { useSession } from '../../session.js';
import { problemText } from '../security/problem.js';
import { CheckForms } from './CheckForms.js';
import { type CheckBody, caseQueryKey, fetchCase, type SupportCase } from './support-api.js';

// Only the case waiting for the second agent stands out: antd's gold, orange and green tags fall below 4.5:1 contrast
// on this page (axe in the browser tests); its blue and the default grey do not.
const STATUS_COLOR: Record<SupportCase['status'], string | undefined> = {
  open: undefined,
  checks_recorded: 'processing',
  approved: undefined,
  expired: undefined,
};

type Step = { kind: 'check'; body: CheckBody } | { kind: 'approve' } | { kind: 'cancelPhone' };

function CardTitle({ children }: { children: React.ReactNode }) {
  return (
    <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>
      {children}
    </Typography.Title>
  );
}

/**
 * One case: its state, expiry and history (opened, each check, approval), the identity-check forms while it is open,
 * approval by a second agent (the server's refusal, e.g. to the opener, shown as it says it), and for an approved
 * lost-phone case the cancellation of the announced phone change.
 */
export function CaseDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation();
  const me = useSession().user;
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string>();
  const found = useQuery({ queryKey: caseQueryKey(id), queryFn: () => fetchCase(id) });
  const path = { params: { path: { id } } };
  const action = useMutation({
    mutationFn: async (step: Step): Promise<{ updated: SupportCase; message: string }> => {
      if (step.kind === 'check') {
        const updated = await unwrap(api.POST('/v1/support/cases/{id}/checks', { ...path, body: step.body }));
        return { updated, message: t('support.checks.recorded', { what: t(`support.checks.kind.${step.body.kind}`) }) };
      }
      if (step.kind === 'approve') {
        const updated = await unwrap(api.POST('/v1/support/cases/{id}/approve', { ...path, body: {} }));
        return { updated, message: t('support.approve.done') };
      }
      const updated = await unwrap(api.POST('/v1/support/cases/{id}/phone-change/cancel', { ...path, body: {} }));
      return { updated, message: t('support.phoneChange.canceled') };
    },
    onMutate: () => setDone(undefined),
    onSuccess: ({ updated, message }) => {
      queryClient.setQueryData(caseQueryKey(id), updated);
      setDone(message);
    },
  });

  /** The outcome of the last action, shown where it was asked for (an approval's card is gone once it succeeds). */
  const feedback = (step: Step['kind']) =>
    action.variables?.kind !== step ? null : action.isError ? (
      <Alert type="error" showIcon title={problemText(action.error, t)} style={{ marginTop: 12 }} />
    ) : done ? (
      <Alert type="success" showIcon role="status" title={done} style={{ marginTop: 12 }} />
    ) : null;
  const c = found.data;
  const who = (userId: string | null) =>
    userId === null ? t('support.who.nobody') : userId === me?.id ? t('support.who.me') : t('support.who.other');
  const opener = c && (c.opened_by === null && c.bank_id ? t('support.who.bank') : who(c.opened_by));
  const live = c !== undefined && (c.status === 'open' || c.status === 'checks_recorded');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Button onClick={onBack}>{t('support.backToSearch')}</Button>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('support.caseTitle', { id })}
      </Typography.Title>
      {found.error && <Alert type="error" showIcon title={problemText(found.error, t)} />}
      {action.isSuccess && feedback('approve')}
      {c && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('support.field.number')}>{c.id}</Descriptions.Item>
            <Descriptions.Item label={t('support.field.merchant')}>
              <Typography.Text>{c.merchant_name}</Typography.Text>
              <Typography.Text type="secondary" style={{ display: 'block', wordBreak: 'break-all' }}>
                {c.merchant_id}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('support.field.kind')}>{t(`support.kind.${c.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('support.field.status')}>
              <Tag color={STATUS_COLOR[c.status]}>{t(`support.status.${c.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('support.field.openedAt')}>{formatBeijing(c.created_at)}</Descriptions.Item>
            <Descriptions.Item label={t('support.field.expiresAt')}>{formatBeijing(c.expires_at)}</Descriptions.Item>
            <Descriptions.Item label={t('support.field.openedBy')}>{opener}</Descriptions.Item>
            <Descriptions.Item label={t('support.field.approvedBy')}>{who(c.approved_by)}</Descriptions.Item>
            <Descriptions.Item label={t('support.field.resetSent')}>
              {c.reset_sent ? t('support.resetSent.yes') : t('support.resetSent.no')}
            </Descriptions.Item>
            {c.bank_verification && (
              <Descriptions.Item label={t('support.field.bank')}>
                {t('support.bankVerification', {
                  ...c.bank_verification,
                  document: t(`support.documentType.${c.bank_verification.document_type}`, {
                    defaultValue: c.bank_verification.document_type,
                  }),
                })}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Card title={<CardTitle>{t('support.history.title')}</CardTitle>}>
            <CaseHistory c={c} who={who} opener={opener ?? ''} />
          </Card>
          {live && (
            <Card title={<CardTitle>{t('support.checks.title')}</CardTitle>}>
              <CheckForms busy={action.isPending} onRecord={(body) => action.mutate({ kind: 'check', body })} />
              {feedback('check')}
            </Card>
          )}
          {live && (
            <Card title={<CardTitle>{t('support.approve.title')}</CardTitle>}>
              <Typography.Paragraph>{t('support.approve.intro')}</Typography.Paragraph>
              <Button type="primary" loading={action.isPending} onClick={() => action.mutate({ kind: 'approve' })}>
                {t('support.approve.submit')}
              </Button>
              {action.isError && feedback('approve')}
            </Card>
          )}
          {c.kind === 'lost_phone' && c.status === 'approved' && (
            <Card title={<CardTitle>{t('support.phoneChange.title')}</CardTitle>}>
              <Typography.Paragraph>{t('support.phoneChange.intro')}</Typography.Paragraph>
              <Button danger loading={action.isPending} onClick={() => action.mutate({ kind: 'cancelPhone' })}>
                {t('support.phoneChange.cancel')}
              </Button>
              {feedback('cancelPhone')}
            </Card>
          )}
        </>
      )}
    </Space>
  );
}

/** Opened, each recorded check (who, when, outcome; the last 4 characters only), approved, and the expiry. */
function CaseHistory({ c, who, opener }: { c: SupportCase; who: (id: string | null) => string; opener: string }) {
  const { t } = useTranslation();
  const checkText = (k: SupportCase['checks'][number]) => {
    const kind = t(`support.checks.kind.${k.kind}`);
    const doc = k.document_type
      ? ` · ${t(`support.documentType.${k.document_type}`, { defaultValue: k.document_type })}`
      : '';
    return `${kind}${doc}${k.last4 ? ` · ${k.last4}` : ''}`;
  };
  const items = [
    {
      key: 'opened',
      color: 'blue',
      content: t('support.history.opened', { time: formatBeijing(c.created_at), who: opener }),
    },
    ...c.checks.map((k, i) => ({
      key: `check-${i}`,
      color: k.outcome === 'passed' || k.outcome === 'reached' ? 'green' : 'red',
      content: t('support.history.check', {
        time: formatBeijing(k.recorded_at),
        what: checkText(k),
        outcome: t(`support.checks.outcome.${k.outcome}`, { defaultValue: k.outcome }),
        who: who(k.recorded_by),
      }),
    })),
    ...(c.status === 'approved'
      ? [{ key: 'approved', color: 'green', content: t('support.history.approved', { who: who(c.approved_by) }) }]
      : [
          {
            key: 'expires',
            color: 'gray',
            content: t('support.history.expires', { time: formatBeijing(c.expires_at) }),
          },
        ]),
  ];
  return (
    <>
      {c.checks.length === 0 && <Typography.Paragraph>{t('support.checks.none')}</Typography.Paragraph>}
      <Timeline items={items} />
    </>
  );
}
