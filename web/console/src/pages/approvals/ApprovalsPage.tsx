import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing, formatYuan, secondsUntil } from '../../format.js';
import { ReauthCanceled, useReauth } from '../../reauth.js';
import { errorText } from '../sign-in/SignInPage.js';

type Approval = Awaited<ReturnType<typeof fetchApprovals>>['data'][number];
const fetchApprovals = () => unwrap(api.GET('/v1/approvals'));

/** A clock that ticks every second, for the time left. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** 手机审批: the pending refunds, live by polling every 3 s; approve (re-auth with passkey or password) or deny with a reason. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const now = useNow();
  const [denying, setDenying] = useState<Approval>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [form] = Form.useForm<{ reason: string }>();
  const approvals = useQuery({ queryKey: ['approvals'], queryFn: fetchApprovals, refetchInterval: 3000 });
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => unwrap(api.GET('/v1/stores')) });
  const storeName = (id: string) => stores.data?.data.find((s) => s.id === id)?.name ?? id;

  const failed = (e: unknown) =>
    setError(e instanceof ReauthCanceled ? t('shell.reauth.canceled') : errorText(e, t('shell.error.unknown')));
  const approve = useMutation({
    mutationFn: (a: Approval) =>
      withReauth(() =>
        unwrap(api.POST('/v1/approvals/{refund_id}/approve', { params: { path: { refund_id: a.refund_id } } })),
      ),
    onMutate: () => {
      setError(undefined);
      setDone(undefined);
    },
    onSuccess: (_r, a) => setDone(t('approvals.approved', { amount: formatYuan(a.amount) })),
    onError: failed,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['approvals'] }),
  });
  const deny = useMutation({
    mutationFn: ({ a, reason }: { a: Approval; reason: string }) =>
      withReauth(() =>
        unwrap(
          api.POST('/v1/approvals/{refund_id}/deny', {
            params: { path: { refund_id: a.refund_id } },
            body: { reason },
          }),
        ),
      ),
    onMutate: () => {
      setError(undefined);
      setDone(undefined);
    },
    onSuccess: (_r, { a }) => {
      setDenying(undefined);
      setDone(t('approvals.denied', { amount: formatYuan(a.amount) }));
    },
    onError: failed,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['approvals'] }),
  });

  const pending = approvals.data?.data.filter((a) => a.status === 'pending') ?? [];
  const timeLeft = (iso: string) => {
    const s = secondsUntil(iso, now);
    return s === 0
      ? t('approvals.expired')
      : t('approvals.minutesLeft', { minutes: Math.floor(s / 60), seconds: s % 60 });
  };
  return (
    <>
      <Typography.Title level={1}>{t('approvals.title')}</Typography.Title>
      <Typography.Paragraph>{t('approvals.intro')}</Typography.Paragraph>
      <div role="status" aria-live="polite">
        {done && <Alert type="success" title={done} style={{ marginBottom: 16 }} />}
      </div>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      {approvals.isError && <Alert type="error" title={errorText(approvals.error, t('shell.error.unknown'))} />}
      {approvals.isSuccess && pending.length === 0 && <Empty description={t('approvals.empty')} />}
      <ul
        aria-label={t('approvals.list')}
        style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 16 }}
      >
        {pending.map((a) => (
          <li key={a.refund_id}>
            <Card size="small" title={<span className="rk-amount">{formatYuan(a.amount)}</span>}>
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'sale', label: t('approvals.sale'), children: a.sale_id },
                  { key: 'store', label: t('approvals.store'), children: storeName(a.store_id) },
                  { key: 'terminal', label: t('approvals.terminal'), children: a.terminal_id },
                  { key: 'operator', label: t('approvals.operator'), children: a.requested_by_operator_id },
                  { key: 'reason', label: t('approvals.reason'), children: a.reason },
                  {
                    key: 'at',
                    label: t('approvals.requestedAt'),
                    children: `${formatBeijing(a.requested_at)} ${t('shell.beijingTime')}`,
                  },
                  { key: 'left', label: t('approvals.timeLeft'), children: timeLeft(a.expires_at) },
                ]}
              />
              <Space style={{ marginTop: 12, width: '100%' }} wrap>
                <Button
                  type="primary"
                  size="large"
                  onClick={() => approve.mutate(a)}
                  loading={approve.isPending && approve.variables?.refund_id === a.refund_id}
                >
                  {t('approvals.approve')}
                </Button>
                <Button
                  danger
                  size="large"
                  onClick={() => {
                    form.resetFields();
                    setDenying(a);
                  }}
                >
                  {t('approvals.deny')}
                </Button>
              </Space>
            </Card>
          </li>
        ))}
      </ul>
      <Modal
        open={denying !== undefined}
        title={t('approvals.denyTitle')}
        onCancel={() => setDenying(undefined)}
        footer={null}
        destroyOnHidden
      >
        {denying && <Typography.Paragraph strong>{formatYuan(denying.amount)}</Typography.Paragraph>}
        <Form
          form={form}
          layout="vertical"
          onFinish={({ reason }) => denying && deny.mutate({ a: denying, reason })}
          requiredMark={false}
        >
          <Form.Item
            label={t('approvals.denyReason')}
            name="reason"
            rules={[{ required: true, whitespace: true, message: '' }]}
          >
            <Input maxLength={200} autoFocus />
          </Form.Item>
          <Space wrap>
            <Button type="primary" danger htmlType="submit" loading={deny.isPending}>
              {t('approvals.denyConfirm')}
            </Button>
            <Button onClick={() => setDenying(undefined)}>{t('approvals.cancel')}</Button>
          </Space>
        </Form>
      </Modal>
    </>
  );
}
