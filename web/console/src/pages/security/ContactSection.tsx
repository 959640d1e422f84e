import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Divider, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { useReauth } from '../../reauth.js';
import { problemText } from './problem.js';

/**
 * Where my codes and security notices go. A new phone number is confirmed with a code sent to it
 * (POST /v1/me/phone, /v1/me/phone/confirm); the API changes the e-mail without a code (POST /v1/me/email) and tells
 * the old address.
 */
export function ContactSection() {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState<string>();
  const [phoneForm] = Form.useForm<{ phone: string; code?: string }>();
  const [emailForm] = Form.useForm<{ email: string }>();
  const hooks = {
    onMutate: () => {
      setError(undefined);
      setNotice(undefined);
    },
    onError: (e: unknown) => setError(problemText(e, t)),
  };
  const sendCode = useMutation({
    mutationFn: (phone: string) => withReauth(() => unwrap(api.POST('/v1/me/phone', { body: { phone } }))),
    ...hooks,
    onSuccess: (a) => setSent(t('security.contact.codeSent', { to: a.sent_to, time: formatBeijing(a.expires_at) })),
  });
  const confirmPhone = useMutation({
    mutationFn: (code: string) =>
      withReauth(() => unwrap(api.POST('/v1/me/phone/confirm', { body: { code: code.trim() } }))),
    ...hooks,
    onSuccess: () => {
      setSent(undefined);
      phoneForm.resetFields();
      setNotice(t('security.contact.phoneChanged'));
    },
  });
  const changeEmail = useMutation({
    mutationFn: (email: string) => withReauth(() => unwrap(api.POST('/v1/me/email', { body: { email } }))),
    ...hooks,
    onSuccess: () => {
      emailForm.resetFields();
      setNotice(t('security.contact.emailChanged'));
    },
  });

  return (
    <Card>
      <Typography.Title level={2}>{t('security.contact.title')}</Typography.Title>
      <Typography.Paragraph>{t('security.contact.intro')}</Typography.Paragraph>
      <div role="status" aria-live="polite">
        {notice && <Alert type="success" title={notice} style={{ marginBottom: 16 }} />}
        {sent && <Alert type="info" title={sent} style={{ marginBottom: 16 }} />}
      </div>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={phoneForm}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => (sent && v.code ? confirmPhone.mutate(v.code) : sendCode.mutate(v.phone.trim()))}
      >
        <Form.Item label={t('security.contact.phone')} name="phone" rules={[{ required: true, message: '' }]}>
          <Input type="tel" autoComplete="tel" inputMode="tel" disabled={Boolean(sent)} />
        </Form.Item>
        {sent && (
          <Form.Item label={t('security.contact.code')} name="code" rules={[{ required: true, message: '' }]}>
            <Input autoComplete="one-time-code" inputMode="numeric" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={sendCode.isPending || confirmPhone.isPending}>
          {sent ? t('security.contact.confirmPhone') : t('security.contact.sendCode')}
        </Button>
      </Form>
      <Divider />
      <Form
        form={emailForm}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => changeEmail.mutate(v.email.trim())}
      >
        <Form.Item label={t('security.contact.email')} name="email" rules={[{ required: true, message: '' }]}>
          <Input type="email" autoComplete="email" />
        </Form.Item>
        <Button onClick={() => emailForm.submit()} loading={changeEmail.isPending}>
          {t('security.contact.saveEmail')}
        </Button>
      </Form>
    </Card>
  );
}
