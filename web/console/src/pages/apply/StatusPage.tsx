import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Form, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { PublicPage } from '../../Shell.js';
import { errorText } from '../sign-in/SignInPage.js';
import { ApplicationFields, type DetailsValues, detailsBody } from './ApplicationFields.js';

/** The applicant's status page; the token is after `#` in the link, so it never reaches a server. */
export function StatusPage() {
  const { t } = useTranslation();
  const token = useLocation().hash.replace(/^#/, '');
  const queryClient = useQueryClient();
  const [form] = Form.useForm<DetailsValues>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const status = useQuery({
    queryKey: ['apply-status', token],
    queryFn: () => unwrap(api.GET('/v1/apply/status', { params: { query: { token } } })),
    enabled: token !== '',
  });
  const amend = useMutation({
    mutationFn: (values: DetailsValues) =>
      unwrap(api.POST('/v1/apply/status/amend', { body: { ...detailsBody(values), token } })),
    onMutate: () => setError(undefined),
    onSuccess: (answer) => {
      setDone(true);
      queryClient.setQueryData(['apply-status', token], answer);
    },
    onError: (e) => setError(errorText(e, t('shell.error.unknown'))),
  });

  const a = status.data;
  return (
    <PublicPage>
      <Typography.Title level={1}>{t('apply.status.title')}</Typography.Title>
      {token === '' && <Alert type="error" showIcon message={t('apply.status.missing')} />}
      {status.error && <Alert type="error" showIcon message={errorText(status.error, t('shell.error.unknown'))} />}
      {a && (
        <>
          <div role="status">
            <Result
              status={a.status === 'approved' ? 'success' : a.status === 'rejected' ? 'error' : 'info'}
              title={t(`apply.status.${a.status}`)}
              subTitle={a.status === 'approved' ? t('apply.status.approvedHelp') : t('apply.status.keepLink')}
            />
          </div>
          {done && <Alert type="success" showIcon message={t('apply.status.amended')} style={{ marginBottom: 16 }} />}
          <Descriptions column={1} bordered size="small" style={{ marginBottom: 24 }}>
            <Descriptions.Item label={t('apply.status.state')}>{t(`apply.status.${a.status}`)}</Descriptions.Item>
            {a.note && <Descriptions.Item label={t('apply.status.note')}>{a.note}</Descriptions.Item>}
            <Descriptions.Item label={t('apply.businessName')}>{a.business_name}</Descriptions.Item>
            <Descriptions.Item label={t('apply.creditCode')}>{a.credit_code}</Descriptions.Item>
            <Descriptions.Item label={t('apply.legalRep')}>{a.legal_rep}</Descriptions.Item>
            <Descriptions.Item label={t('apply.phone')}>{a.phone}</Descriptions.Item>
            <Descriptions.Item label={t('apply.address')}>{a.address}</Descriptions.Item>
            <Descriptions.Item label={t('apply.bankAccount')}>
              {a.bank_name} {a.bank_account}
            </Descriptions.Item>
            <Descriptions.Item label={t('apply.terminalCount')}>{a.terminal_count}</Descriptions.Item>
            <Descriptions.Item label={t('apply.ratePlan')}>{a.rate_plan.name}</Descriptions.Item>
            <Descriptions.Item label={t('apply.status.submittedAt')}>{formatBeijing(a.created_at)}</Descriptions.Item>
          </Descriptions>
          {a.status === 'needs_info' && (
            <>
              <Typography.Title level={2}>{t('apply.status.amendTitle')}</Typography.Title>
              <Form<DetailsValues>
                form={form}
                layout="vertical"
                style={{ maxWidth: 640 }}
                initialValues={{
                  business_name: a.business_name,
                  credit_code: a.credit_code,
                  legal_rep: a.legal_rep,
                  address: a.address,
                  bank_name: a.bank_name,
                  terminal_count: a.terminal_count,
                  rate_plan_id: a.rate_plan.id,
                }}
                onFinish={(values) => amend.mutate(values)}
              >
                <ApplicationFields />
                {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
                <Button type="primary" htmlType="submit" loading={amend.isPending}>
                  {t('apply.status.amend')}
                </Button>
              </Form>
            </>
          )}
        </>
      )}
    </PublicPage>
  );
}
