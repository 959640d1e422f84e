import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { useReauth } from '../../reauth.js';
import { problemText } from './problem.js';

/**
 * "Set up SMS codes": a code goes to my phone (POST /v1/me/sms-factor), typed back it makes SMS codes my second factor
 * (POST /v1/me/sms-factor/confirm); the answer's backup codes go to `onDone`.
 */
export function SmsFactorSetup({ onDone }: { onDone: (backupCodes: string[]) => void }) {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const [sent, setSent] = useState<string>();
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<{ code: string }>();
  const failed = (e: unknown) => setError(problemText(e, t));

  const start = useMutation({
    mutationFn: () => withReauth(() => unwrap(api.POST('/v1/me/sms-factor', { body: {} }))),
    onMutate: () => setError(undefined),
    onSuccess: (a) => setSent(t('security.sms.codeSent', { to: a.sent_to, time: formatBeijing(a.expires_at) })),
    onError: failed,
  });
  const confirm = useMutation({
    mutationFn: (code: string) =>
      withReauth(() => unwrap(api.POST('/v1/me/sms-factor/confirm', { body: { code: code.replace(/\s/g, '') } }))),
    onMutate: () => setError(undefined),
    onSuccess: (answer) => {
      setSent(undefined);
      form.resetFields();
      onDone(answer.backup_codes);
    },
    onError: failed,
  });

  if (!sent) {
    return (
      <>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>
          {t('security.sms.start')}
        </Button>
      </>
    );
  }
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={({ code }) => confirm.mutate(code)}>
      <div role="status" aria-live="polite">
        <Typography.Paragraph>{sent}</Typography.Paragraph>
      </div>
      <Form.Item label={t('security.sms.code')} name="code" rules={[{ required: true, message: '' }]}>
        <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} />
      </Form.Item>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={confirm.isPending}>
          {t('security.sms.confirm')}
        </Button>
        <Button onClick={() => start.mutate()} loading={start.isPending}>
          {t('security.sms.resend')}
        </Button>
        <Button
          onClick={() => {
            setSent(undefined);
            setError(undefined);
          }}
        >
          {t('security.totp.cancel')}
        </Button>
      </Space>
    </Form>
  );
}
