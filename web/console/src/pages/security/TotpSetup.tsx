import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { useReauth } from '../../reauth.js';
import { problemText } from './problem.js';

type Started = { secret: string; otpauth_url: string; image: string };

/**
 * "Set up authenticator app": the secret (text, "Secret key") and a QR code of its otpauth:// URI, then the app's
 * first code confirms it (POST /v1/me/totp, /v1/me/totp/confirm); the answer's backup codes go to `onDone`.
 */
export function TotpSetup({ onDone }: { onDone: (backupCodes: string[]) => void }) {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const [started, setStarted] = useState<Started>();
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<{ code: string }>();
  const failed = (e: unknown) => setError(problemText(e, t));

  const start = useMutation({
    mutationFn: async (): Promise<Started> => {
      const answer = await withReauth(() => unwrap(api.POST('/v1/me/totp', { body: {} })));
      const image = await QRCode.toDataURL(answer.otpauth_url, { margin: 1, width: 200 });
      return { ...answer, image };
    },
    onMutate: () => setError(undefined),
    onSuccess: setStarted,
    onError: failed,
  });
  const confirm = useMutation({
    mutationFn: (code: string) =>
      withReauth(() => unwrap(api.POST('/v1/me/totp/confirm', { body: { code: code.replace(/\s/g, '') } }))),
    onMutate: () => setError(undefined),
    onSuccess: (answer) => {
      setStarted(undefined);
      form.resetFields();
      onDone(answer.backup_codes);
    },
    onError: failed,
  });

  if (!started) {
    return (
      <>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>
          {t('security.totp.start')}
        </Button>
      </>
    );
  }
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={({ code }) => confirm.mutate(code)}>
      <Typography.Paragraph>{t('security.totp.scan')}</Typography.Paragraph>
      <div style={{ textAlign: 'center' }}>
        <img src={started.image} alt={t('security.totp.qr')} width={200} height={200} />
      </div>
      <Form.Item label={t('security.totp.secret')} htmlFor="totp-secret">
        <Input id="totp-secret" readOnly value={started.secret} className="rk-secret" />
      </Form.Item>
      <Form.Item label={t('security.totp.code')} name="code" rules={[{ required: true, message: '' }]}>
        <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} />
      </Form.Item>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={confirm.isPending}>
          {t('security.totp.confirm')}
        </Button>
        <Button
          onClick={() => {
            setStarted(undefined);
            setError(undefined);
          }}
        >
          {t('security.totp.cancel')}
        </Button>
      </Space>
    </Form>
  );
}
