import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api.js';
import { PublicPage } from '../../Shell.js';
import { problemText } from '../security/problem.js';
import { NewPasswordFields } from './NewPasswordFields.js';

type Channel = 'sms' | 'email';

/**
 * Forgot password (忘记密码): the login and where to send the secret (a 6-digit SMS code or an e-mailed token), then
 * that secret and a new password typed twice. The answers are the same for any login id; a reset never signs in.
 */
export function PasswordResetPage() {
  const { t } = useTranslation();
  const [login, setLogin] = useState<string>();
  const request = useMutation({
    mutationFn: (body: { login: string; channel: Channel }) =>
      unwrap(api.POST('/v1/auth/password-reset', { body: { ...body, login: body.login.trim() } })),
    onSuccess: (_answer, body) => setLogin(body.login.trim()),
  });
  const confirm = useMutation({
    mutationFn: ({ code, password }: { code: string; password: string }) => {
      const secret = code.trim();
      const proof = secret.startsWith('rst_') ? { token: secret } : { code: secret };
      return unwrap(
        api.POST('/v1/auth/password-reset/confirm', {
          body: { login: login as string, new_password: password, ...proof },
        }),
      );
    },
  });
  const failure = request.error ?? confirm.error;

  return (
    <PublicPage>
      <Typography.Title level={1}>{t('signIn.reset.title')}</Typography.Title>
      <div role="status" aria-live="polite">
        {login && !confirm.isSuccess && (
          <Alert type="info" title={t('signIn.reset.requested')} style={{ marginBottom: 16 }} />
        )}
        {confirm.isSuccess && <Alert type="success" title={t('signIn.reset.done')} style={{ marginBottom: 16 }} />}
      </div>
      {!login && (
        <Form<{ login: string; channel: Channel }>
          layout="vertical"
          requiredMark={false}
          initialValues={{ channel: 'sms' }}
          onFinish={(values) => request.mutate(values)}
        >
          <Typography.Paragraph>{t('signIn.reset.requestIntro')}</Typography.Paragraph>
          <Form.Item label={t('signIn.login')} name="login" rules={[{ required: true, whitespace: true, message: '' }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label={t('signIn.reset.channel')} name="channel">
            <Radio.Group
              options={[
                { value: 'sms', label: t('signIn.reset.sms') },
                { value: 'email', label: t('signIn.reset.email') },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={request.isPending}>
            {t('signIn.reset.request')}
          </Button>
        </Form>
      )}
      {login && !confirm.isSuccess && (
        <Form<{ code: string; password: string; confirm: string }>
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => confirm.mutate(values)}
        >
          <Form.Item
            label={t('signIn.reset.code')}
            name="code"
            extra={t('signIn.reset.codeHelp')}
            rules={[{ required: true, whitespace: true, message: '' }]}
          >
            <Input autoComplete="one-time-code" spellCheck={false} />
          </Form.Item>
          <NewPasswordFields label={t('signIn.reset.newPassword')} confirmLabel={t('signIn.reset.confirmPassword')} />
          <Button type="primary" htmlType="submit" block loading={confirm.isPending}>
            {t('signIn.reset.confirm')}
          </Button>
        </Form>
      )}
      {failure && <Alert type="error" title={problemText(failure, t)} style={{ marginTop: 16 }} />}
      <Typography.Paragraph style={{ marginTop: 16 }}>
        <Link to="/login">{t('signIn.reset.backToSignIn')}</Link>
      </Typography.Paragraph>
    </PublicPage>
  );
}
