import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { errorText } from '../sign-in/SignInPage.js';

type Status = 'submitted' | 'needs_info' | 'approved' | 'rejected';
type Application = Awaited<ReturnType<typeof fetchQueue>>['data'][number];
type Decision = { kind: 'approve' | 'reject' | 'requestInfo'; application: Application };
const fetchQueue = (status: Status) => unwrap(api.GET('/v1/applications', { params: { query: { status } } }));
const STATUSES: Status[] = ['submitted', 'needs_info', 'approved', 'rejected'];

/** The platform admin's queue: approve with a rate plan, reject with a reason, or ask the applicant for more. */
export function ApplicationsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('submitted');
  const [deciding, setDeciding] = useState<Decision>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [form] = Form.useForm<{ text?: string; rate_plan_id?: string; owner_login?: string }>();
  const queue = useQuery({ queryKey: ['applications', status], queryFn: () => fetchQueue(status) });
  const plans = useQuery({ queryKey: ['apply-rate-plans'], queryFn: () => unwrap(api.GET('/v1/apply/rate-plans')) });

  const decide = useMutation({
    mutationFn: async ({ kind, application }: Decision) => {
      const values = await form.validateFields();
      const path = { params: { path: { id: application.id } } };
      if (kind === 'approve') {
        const made = await unwrap(
          api.POST('/v1/applications/{id}/approve', {
            ...path,
            body: {
              ...(values.rate_plan_id ? { rate_plan_id: values.rate_plan_id } : {}),
              ...(values.owner_login?.trim() ? { owner_login: values.owner_login.trim() } : {}),
            },
          }),
        );
        return t('applications.approved', {
          count: made.terminals.length,
          to: made.activation_codes_sent_to.join(', '),
        });
      }
      const text = values.text ?? '';
      if (kind === 'reject') {
        await unwrap(api.POST('/v1/applications/{id}/reject', { ...path, body: { reason: text } }));
        return t('applications.rejected');
      }
      await unwrap(api.POST('/v1/applications/{id}/request-info', { ...path, body: { message: text } }));
      return t('applications.infoRequested');
    },
    onMutate: () => {
      setError(undefined);
      setDone(undefined);
    },
    onSuccess: (message) => {
      setDeciding(undefined);
      setDone(message);
    },
    onError: (e) => setError(errorText(e, t('shell.error.unknown'))),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['applications'] }),
  });

  const open = (kind: Decision['kind'], application: Application) => {
    form.resetFields();
    form.setFieldsValue({ rate_plan_id: application.rate_plan.id });
    setError(undefined);
    setDeciding({ kind, application });
  };
  const rows = queue.data?.data ?? [];
  return (
    <>
      <Typography.Title level={1}>{t('applications.title')}</Typography.Title>
      <Radio.Group
        aria-label={t('applications.filter')}
        optionType="button"
        value={status}
        onChange={(e) => setStatus(e.target.value)}
        options={STATUSES.map((s) => ({ value: s, label: t(`applications.status.${s}`) }))}
        style={{ marginBottom: 16 }}
      />
      {done && <Alert type="success" showIcon role="status" message={done} style={{ marginBottom: 16 }} />}
      {error && !deciding && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {rows.length === 0 && !queue.isLoading && <Empty description={t('applications.empty')} />}
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {rows.map((a) => (
          <Card key={a.id} title={a.business_name} role="article" aria-label={a.business_name}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('applications.creditCode')}>{a.credit_code}</Descriptions.Item>
              <Descriptions.Item label={t('applications.legalRep')}>{a.legal_rep}</Descriptions.Item>
              <Descriptions.Item label={t('applications.phone')}>{a.phone}</Descriptions.Item>
              <Descriptions.Item label={t('applications.address')}>{a.address}</Descriptions.Item>
              <Descriptions.Item label={t('applications.bank')}>
                {a.bank_name} {a.bank_account}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.terminals')}>{a.terminal_count}</Descriptions.Item>
              <Descriptions.Item label={t('applications.ratePlan')}>{a.rate_plan.name}</Descriptions.Item>
              <Descriptions.Item label={t('applications.submittedAt')}>{formatBeijing(a.created_at)}</Descriptions.Item>
              {a.note && <Descriptions.Item label={t('applications.note')}>{a.note}</Descriptions.Item>}
            </Descriptions>
            {a.status === 'submitted' && (
              <Space wrap style={{ marginTop: 12 }}>
                <Button type="primary" onClick={() => open('approve', a)}>
                  {t('applications.approve')}
                </Button>
                <Button onClick={() => open('requestInfo', a)}>{t('applications.requestInfo')}</Button>
                <Button danger onClick={() => open('reject', a)}>
                  {t('applications.reject')}
                </Button>
              </Space>
            )}
          </Card>
        ))}
      </Space>
      <Modal
        open={deciding !== undefined}
        title={deciding && `${t(`applications.${deciding.kind}`)}: ${deciding.application.business_name}`}
        okText={t('applications.confirm')}
        onOk={() => deciding && decide.mutate(deciding)}
        confirmLoading={decide.isPending}
        onCancel={() => setDeciding(undefined)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          {deciding?.kind === 'approve' ? (
            <>
              <Form.Item name="rate_plan_id" label={t('apply.ratePlan')}>
                <Select options={(plans.data?.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
              </Form.Item>
              <Form.Item name="owner_login" label={t('applications.ownerLogin')}>
                <Input autoComplete="off" />
              </Form.Item>
            </>
          ) : (
            <Form.Item
              name="text"
              label={deciding?.kind === 'reject' ? t('applications.reason') : t('applications.message')}
              rules={[{ required: true, min: 2, max: 500 }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
        </Form>
        {error && <Alert type="error" showIcon message={error} />}
      </Modal>
    </>
  );
}
