import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Divider, Form, Input, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ApiError, api, unwrap } from '../../api.js';
import { PublicPage } from '../../Shell.js';
import { type SignedInAnswer, useSession } from '../../session.js';
import { problemText } from '../security/problem.js';
import { QrSignIn } from './QrSignIn.js';

type Method = 'passkey' | 'totp' | 'sms' | 'backup_code';
type CodeMethod = Exclude<Method, 'passkey'>;

export function errorText(error: unknown, fallback: string): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** Where to go once signed in: the page that sent the person here (?next=, same site only), else the dashboard. */
function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Sign-in: password, then the second factor the person has (passkey, TOTP, SMS code, backup code), or a QR code. */
export function SignInPage() {
  const { t } = useTranslation();
  const { user, signedIn } = useSession();
  const [methods, setMethods] = useState<Method[]>();
  const [qr, setQr] = useState(false);
  const [error, setError] = useState<string>();

  const login = useMutation({
    mutationFn: (body: { login: string; password: string }) => unwrap(api.POST('/v1/auth/login', { body })),
    onSuccess: (answer) => {
      setError(undefined);
      if (answer.status === 'signed_in') signedIn(answer as SignedInAnswer);
      else setMethods(answer.methods);
    },
    onError: (e) => setError(errorText(e, t('shell.error.unknown'))),
  });

  // Already signed in when the page opened; a sign-in made here moves on by itself (to the enrolment page or `next`).
  if (user && !login.isSuccess && !methods && !qr) return <Navigate to={nextPath()} replace />;
  return (
    <PublicPage>
      <Typography.Title level={1}>{t('signIn.title')}</Typography.Title>
      {qr ? (
        <QrSignIn onBack={() => setQr(false)} />
      ) : methods ? (
        <SecondFactor
          methods={methods}
          onRestart={() => {
            setMethods(undefined);
            setError(undefined);
          }}
        />
      ) : (
        <>
          <Form layout="vertical" onFinish={(values) => login.mutate(values)} requiredMark={false}>
            <Form.Item label={t('signIn.login')} name="login" rules={[{ required: true, message: '' }]}>
              <Input autoComplete="username" />
            </Form.Item>
            <Form.Item label={t('signIn.password')} name="password" rules={[{ required: true, message: '' }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
            <Button type="primary" htmlType="submit" block loading={login.isPending}>
              {t('signIn.submit')}
            </Button>
          </Form>
          <Space style={{ marginTop: 16, justifyContent: 'space-between', width: '100%' }} wrap>
            <Link to="/password-reset">{t('signIn.forgot')}</Link>
            {/* The owner's end of an approved support case: the code (or the link) from the registered phone or e-mail. */}
            <Link to="/account-reset">{t('support.reset.title')}</Link>
          </Space>
          <Divider />
          <Button block onClick={() => setQr(true)}>
            {t('signIn.qr.button')}
          </Button>
        </>
      )}
    </PublicPage>
  );
}

function SecondFactor({ methods, onRestart }: { methods: Method[]; onRestart: () => void }) {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const codeMethods = methods.filter((m): m is CodeMethod => m !== 'passkey');
  const [method, setMethod] = useState<CodeMethod | undefined>(codeMethods[0]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [form] = Form.useForm<{ code: string }>();
  const failed = (e: unknown) => {
    setNotice(undefined);
    setError(problemText(e, t));
  };

  const verify = useMutation({
    mutationFn: (code: string) =>
      unwrap(api.POST('/v1/auth/second-factor', { body: { method: method as CodeMethod, code: code.trim() } })),
    onSuccess: (answer) => signedIn(answer as SignedInAnswer),
    onError: failed,
  });
  const sendSms = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/auth/second-factor/sms', { body: {} })),
    onSuccess: (answer) => {
      setError(undefined);
      const to = (answer as { sent_to?: string } | undefined)?.sent_to;
      setNotice(to ? t('signIn.secondFactor.sent', { to }) : t('signIn.secondFactor.sentShort'));
    },
    onError: failed,
  });
  const passkey = useMutation({
    mutationFn: async () => {
      const options = await unwrap(api.POST('/v1/auth/second-factor/passkey/options', { body: {} }));
      const response = await startAuthentication({ optionsJSON: options as never });
      return unwrap(api.POST('/v1/auth/second-factor', { body: { method: 'passkey', response: response as never } }));
    },
    onSuccess: (answer) => signedIn(answer as SignedInAnswer),
    onError: failed,
  });

  const labels: Record<CodeMethod, string> = {
    totp: t('signIn.secondFactor.totp'),
    sms: t('signIn.secondFactor.sms'),
    backup_code: t('signIn.secondFactor.backupCode'),
  };
  const help: Record<CodeMethod, string> = {
    totp: t('signIn.secondFactor.codeHelpTotp'),
    sms: t('signIn.secondFactor.codeHelpSms'),
    backup_code: t('signIn.secondFactor.codeHelpBackup'),
  };
  return (
    <section aria-labelledby="second-factor-title">
      <Typography.Title level={2} id="second-factor-title">
        {t('signIn.secondFactor.title')}
      </Typography.Title>
      {methods.includes('passkey') && (
        <>
          <Button type="primary" block onClick={() => passkey.mutate()} loading={passkey.isPending}>
            {t('signIn.secondFactor.passkey')}
          </Button>
          <Divider />
        </>
      )}
      {method && (
        <Form form={form} layout="vertical" onFinish={({ code }) => verify.mutate(code)} requiredMark={false}>
          <Typography.Paragraph>{t('signIn.secondFactor.intro')}</Typography.Paragraph>
          <Form.Item label={t('signIn.secondFactor.method')}>
            <Radio.Group
              value={method}
              onChange={(e) => {
                setMethod(e.target.value);
                setError(undefined);
                setNotice(undefined);
              }}
              options={codeMethods.map((m) => ({ value: m, label: labels[m] }))}
            />
          </Form.Item>
          {method === 'sms' && (
            <Form.Item>
              <Button onClick={() => sendSms.mutate()} loading={sendSms.isPending}>
                {t('signIn.secondFactor.send')}
              </Button>
            </Form.Item>
          )}
          <Form.Item
            label={t('signIn.secondFactor.code')}
            name="code"
            extra={help[method]}
            rules={[{ required: true, message: '' }]}
          >
            <Input autoComplete="one-time-code" inputMode={method === 'backup_code' ? 'text' : 'numeric'} autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={verify.isPending}>
            {t('signIn.secondFactor.verify')}
          </Button>
        </Form>
      )}
      <div role="status" aria-live="polite" style={{ marginTop: 16 }}>
        {notice && <Alert type="info" title={notice} />}
      </div>
      {error && <Alert type="error" title={error} style={{ marginTop: 16 }} />}
      <Button type="link" onClick={onRestart} style={{ paddingInline: 0, marginTop: 8 }}>
        {t('signIn.secondFactor.restart')}
      </Button>
    </section>
  );
}
