import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { ReauthCanceled, useReauth } from '../../reauth.js';
import { errorText } from '../sign-in/SignInPage.js';

type Strength = {
  score: number;
  acceptable: boolean;
  reasons: { code: string; message: string }[];
  suggestions: { code: string; message: string }[];
};
type Values = { old_key?: string; new_key: string; confirm_key: string };

/** Live strength feedback from the server (POST, so the candidate never travels in a URL), 300 ms after typing stops. */
function useStrength(key: string): { strength?: Strength; checking: boolean } {
  const [debounced, setDebounced] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(key), 300);
    return () => clearTimeout(timer);
  }, [key]);
  const query = useQuery({
    queryKey: ['refund-key-strength', debounced],
    enabled: debounced.length > 0,
    queryFn: () => unwrap(api.POST('/v1/refund-key/strength', { body: { key: debounced, policy: 'password' } })),
    gcTime: 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return {
    strength: key && key === debounced ? query.data : undefined,
    checking: key.length > 0 && (key !== debounced || query.isFetching),
  };
}

export function RefundKeyPage() {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [scope, setScope] = useState<string>('merchant');
  const [error, setError] = useState<string>();
  const [success, setSuccess] = useState<string>();
  const newKey = Form.useWatch('new_key', form) ?? '';
  const { strength, checking } = useStrength(newKey);

  const overview = useQuery({ queryKey: ['refund-key'], queryFn: () => unwrap(api.GET('/v1/refund-key')) });
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => unwrap(api.GET('/v1/stores')) });
  const storeId = scope === 'merchant' ? undefined : scope;
  const state = overview.data?.data.find((s) => (storeId ? s.store_id === storeId : s.scope === 'merchant'));
  const changing = Boolean(state?.set);

  const save = useMutation({
    mutationFn: (values: Values) =>
      withReauth(() =>
        changing && values.old_key
          ? unwrap(
              api.POST('/v1/refund-key/change', {
                body: {
                  store_id: storeId,
                  old_key: values.old_key,
                  new_key: values.new_key,
                  confirm_key: values.confirm_key,
                },
              }),
            )
          : unwrap(
              api.POST('/v1/refund-key', {
                body: { store_id: storeId, new_key: values.new_key, confirm_key: values.confirm_key },
              }),
            ),
      ),
    onMutate: () => {
      setError(undefined);
      setSuccess(undefined);
    },
    onSuccess: () => {
      form.resetFields();
      setSuccess(t('refundKey.saved'));
      void queryClient.invalidateQueries({ queryKey: ['refund-key'] });
    },
    onError: (e) =>
      setError(e instanceof ReauthCanceled ? t('shell.reauth.canceled') : errorText(e, t('shell.error.unknown'))),
  });
  const removeOverride = useMutation({
    mutationFn: (id: string) =>
      withReauth(() => unwrap(api.POST('/v1/refund-key/remove-override', { body: { store_id: id } }))),
    onSuccess: () => {
      setSuccess(t('refundKey.removed'));
      void queryClient.invalidateQueries({ queryKey: ['refund-key'] });
    },
    onError: (e) => setError(errorText(e, t('shell.error.unknown'))),
  });

  const overrides = new Set(overview.data?.data.filter((s) => s.scope === 'store' && s.set).map((s) => s.store_id));
  const scopes = [
    { value: 'merchant', label: t('refundKey.scopeMerchant') },
    ...(stores.data?.data ?? []).map((s) => ({
      value: s.id,
      label: `${t('refundKey.scopeStore', { name: s.name })}${overrides.has(s.id) ? ` ${t('refundKey.storeOverride')}` : ''}`,
    })),
  ];

  return (
    <>
      <Typography.Title level={1}>{t('refundKey.title')}</Typography.Title>
      <Typography.Paragraph>{t('refundKey.intro')}</Typography.Paragraph>
      <div style={{ maxWidth: 480 }}>
        {scopes.length > 1 && (
          <Form layout="vertical">
            <Form.Item label={t('refundKey.scope')} htmlFor="refund-key-scope">
              <Select
                id="refund-key-scope"
                value={scope}
                options={scopes}
                onChange={(value) => {
                  setScope(value);
                  setSuccess(undefined);
                  setError(undefined);
                  form.resetFields();
                }}
              />
            </Form.Item>
          </Form>
        )}
        {overview.isSuccess && (
          <section aria-label={t('refundKey.state.label')}>
            <Typography.Paragraph type="secondary">
              {/* A store without its own key has no entry of its own: it uses the merchant default. */}
              {state?.set ? (
                <>
                  {t('refundKey.state.setAt', { time: formatBeijing(state.set_at), days: state.age_days ?? 0 })}
                  <br />
                  {t('refundKey.state.reminderAt', { time: formatBeijing(state.reminder_at) })}
                  <br />
                  {t('refundKey.state.expiresAt', { time: formatBeijing(state.expires_at) })}
                </>
              ) : storeId ? (
                t('refundKey.state.usesDefault')
              ) : (
                t('refundKey.state.notSet')
              )}
            </Typography.Paragraph>
          </section>
        )}
        {state?.expired && <Alert type="warning" title={t('refundKey.state.expired')} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)} requiredMark={false}>
          {changing && (
            <Form.Item label={t('refundKey.current')} name="old_key" rules={[{ required: true, message: '' }]}>
              <Input.Password autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item
            label={t('refundKey.newKey')}
            name="new_key"
            extra={t('refundKey.hint')}
            rules={[{ required: true, message: '' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <div role="status" aria-live="polite" aria-label={t('refundKey.strength.label')} style={{ marginBottom: 16 }}>
            {checking && !strength && (
              <Typography.Text type="secondary">{t('refundKey.strength.checking')}</Typography.Text>
            )}
            {strength && (
              <>
                <Typography.Text strong type={strength.acceptable ? 'success' : 'danger'}>
                  {strength.acceptable ? t('refundKey.strength.strong') : t('refundKey.strength.weak')}
                </Typography.Text>
                {strength.reasons.length + strength.suggestions.length > 0 && (
                  <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
                    {[...strength.reasons, ...strength.suggestions].map((r) => (
                      <li key={r.code}>{r.message}</li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </div>
          <Form.Item label={t('refundKey.confirm')} name="confirm_key" rules={[{ required: true, message: '' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('refundKey.save')}
            </Button>
            {storeId && overrides.has(storeId) && (
              <Button onClick={() => removeOverride.mutate(storeId)} loading={removeOverride.isPending}>
                {t('refundKey.removeOverride')}
              </Button>
            )}
          </Space>
        </Form>
        {success && <Alert type="success" role="status" title={success} style={{ marginTop: 16 }} />}
      </div>
    </>
  );
}
