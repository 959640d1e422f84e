import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, List, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../../../src/sdk/api-types.js';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { useReauth } from '../../reauth.js';
import { useOutcome } from '../staff/outcome.js';

type Recipient =
  paths['/v1/notification-recipients']['get']['responses'][200]['content']['application/json']['data'][number];
type NewRecipient = { channel: 'sms' | 'email'; address: string; label: string };

const RECIPIENTS = ['notification-recipients'] as const;

/**
 * 通知接收人 (owners): phones and e-mail addresses that also receive approval requests. A new one gets a code over its
 * own channel; it is used once the owner types that code here (POST /v1/notification-recipients/{id}/confirm).
 */
export function RecipientsSection() {
  const { t, i18n } = useTranslation();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [form] = Form.useForm<NewRecipient>();
  const channel = Form.useWatch('channel', form) ?? 'sms';
  const list = useQuery({ queryKey: RECIPIENTS, queryFn: () => unwrap(api.GET('/v1/notification-recipients')) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: RECIPIENTS });
  const hooks = { onMutate: outcome.clear, onError: outcome.failed, onSettled: refresh };
  const locale = i18n.language === 'en' ? ('en' as const) : ('zh-CN' as const);

  const add = useMutation({
    mutationFn: (r: NewRecipient) =>
      withReauth(() =>
        unwrap(api.POST('/v1/notification-recipients', { body: { ...r, address: r.address.trim(), locale } })),
      ),
    ...hooks,
    onSuccess: (r) => {
      form.resetFields(['address', 'label']);
      outcome.succeeded(t('security.recipients.added', { to: r.address }));
    },
  });
  const confirm = useMutation({
    mutationFn: ({ id, code }: { id: string; code: string }) =>
      unwrap(api.POST('/v1/notification-recipients/{id}/confirm', { params: { path: { id } }, body: { code } })),
    ...hooks,
    onSuccess: (r) => outcome.succeeded(t('security.recipients.verified', { name: r.label })),
  });
  const resend = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/v1/notification-recipients/{id}/resend', { params: { path: { id } }, body: {} })),
    ...hooks,
    onSuccess: (r) => outcome.succeeded(t('security.recipients.resent', { to: r.address })),
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      withReauth(() =>
        unwrap(api.POST('/v1/notification-recipients/{id}/remove', { params: { path: { id } }, body: {} })),
      ),
    ...hooks,
    onSuccess: () => outcome.succeeded(t('security.recipients.removed')),
  });

  return (
    <Card>
      <Typography.Title level={2}>{t('security.recipients.title')}</Typography.Title>
      <Typography.Paragraph>{t('security.recipients.intro')}</Typography.Paragraph>
      {outcome.banner}
      <section aria-label={t('security.recipients.list')}>
        <List
          dataSource={list.data?.data ?? []}
          loading={list.isLoading}
          locale={{ emptyText: <Typography.Text type="secondary">{t('security.recipients.empty')}</Typography.Text> }}
          renderItem={(r) => (
            <RecipientItem
              recipient={r}
              busy={confirm.isPending || resend.isPending || remove.isPending}
              onConfirm={(code) => confirm.mutate({ id: r.id, code })}
              onResend={() => resend.mutate(r.id)}
              onRemove={() => remove.mutate(r.id)}
            />
          )}
        />
      </section>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ channel: 'sms' }}
        onFinish={(v) => add.mutate(v)}
        aria-label={t('security.recipients.add')}
        style={{ marginTop: 16 }}
      >
        <Form.Item label={t('security.recipients.channel')} name="channel">
          <Radio.Group
            options={[
              { value: 'sms', label: t('security.recipients.sms') },
              { value: 'email', label: t('security.recipients.email') },
            ]}
          />
        </Form.Item>
        <Form.Item
          label={channel === 'sms' ? t('security.recipients.phone') : t('security.recipients.emailAddress')}
          name="address"
          rules={[{ required: true, whitespace: true, message: t('security.recipients.required') }]}
        >
          <Input inputMode={channel === 'sms' ? 'tel' : 'email'} maxLength={254} />
        </Form.Item>
        <Form.Item
          label={t('security.recipients.label')}
          name="label"
          extra={t('security.recipients.labelHint')}
          rules={[{ required: true, whitespace: true, message: t('security.recipients.required') }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={add.isPending}>
          {t('security.recipients.add')}
        </Button>
      </Form>
    </Card>
  );
}

function RecipientItem({
  recipient: r,
  busy,
  onConfirm,
  onResend,
  onRemove,
}: {
  recipient: Recipient;
  busy: boolean;
  onConfirm: (code: string) => void;
  onResend: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const pending = r.status === 'pending';
  return (
    <List.Item
      actions={[
        <Button
          key="remove"
          danger
          aria-label={t('security.recipients.removeNamed', { name: r.label })}
          onClick={onRemove}
        >
          {t('security.recipients.remove')}
        </Button>,
      ]}
    >
      <List.Item.Meta
        title={
          <Space wrap>
            {r.label}
            {/* Text in the theme's AA colours: antd's tag colours fall below 4.5:1. */}
            <Typography.Text strong type={pending ? 'warning' : 'success'}>
              {pending ? t('security.recipients.pending') : t('security.recipients.verifiedTag')}
            </Typography.Text>
          </Space>
        }
        description={
          <>
            <div>
              {r.channel === 'sms' ? t('security.recipients.sms') : t('security.recipients.email')}: {r.address}
            </div>
            {pending ? (
              <Form
                form={form}
                layout="inline"
                requiredMark={false}
                style={{ marginTop: 8, rowGap: 8 }}
                onFinish={({ code }) => onConfirm(code.replace(/\s/g, ''))}
              >
                <Form.Item
                  label={t('security.recipients.codeFor', { name: r.label })}
                  name="code"
                  extra={t('security.recipients.codeUntil', { time: formatBeijing(r.code_expires_at) })}
                  rules={[{ required: true, message: '' }]}
                >
                  <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} style={{ width: 120 }} />
                </Form.Item>
                <Button type="primary" htmlType="submit" disabled={busy}>
                  {t('security.recipients.confirm')}
                </Button>
                <Button onClick={onResend} disabled={busy}>
                  {t('security.recipients.resend')}
                </Button>
              </Form>
            ) : (
              <div>{t('security.recipients.verifiedAt', { time: formatBeijing(r.verified_at) })}</div>
            )}
          </>
        }
      />
    </List.Item>
  );
}
