import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Divider, Form, Input, Space, Spin, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api.js';
import { LoadingScreen } from '../../components/LoadingScreen.js';
import { formatBeijing } from '../../format.js';
import { PublicPage } from '../../Shell.js';
import { useSession } from '../../session.js';
import { problemText } from '../security/problem.js';

type Approval = { method: 'totp'; code: string } | { method: 'passkey' };

/**
 * The phone's side of QR login (/console/qr/:id?c=…, the address in the QR code): who asks (browser, IP, time), then
 * approve with an authenticator code or a passkey, or deny. Someone not signed in signs in first and comes back here.
 */
export function QrApprovePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  const id = useParams().id ?? '';
  const c = useSearchParams()[0].get('c') ?? '';
  const path = { params: { path: { id } } };

  const inspect = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/qr-logins/{id}/inspect', { ...path, body: { c } })),
  });
  const factors = useQuery({
    queryKey: ['me', 'second-factors'],
    queryFn: () => unwrap(api.GET('/v1/me/second-factors')),
    enabled: Boolean(user),
  });
  const approve = useMutation({
    mutationFn: async (approval: Approval) => {
      if (approval.method === 'totp') {
        const body = { c, method: 'totp' as const, code: approval.code.replace(/\s/g, '') };
        return unwrap(api.POST('/v1/qr-logins/{id}/approve', { ...path, body }));
      }
      const options = await unwrap(api.POST('/v1/qr-logins/{id}/passkey-options', { ...path, body: { c } }));
      const response = await startAuthentication({ optionsJSON: options as never });
      const body = { c, method: 'passkey' as const, response: response as never };
      return unwrap(api.POST('/v1/qr-logins/{id}/approve', { ...path, body }));
    },
  });
  const deny = useMutation({ mutationFn: () => unwrap(api.POST('/v1/qr-logins/{id}/deny', { ...path, body: { c } })) });
  // Inspect once, when the person is known (the ref keeps React's development double effects from asking twice).
  const inspected = useRef(false);
  const known = Boolean(user);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the person is known
  useEffect(() => {
    if (!known || !c || inspected.current) return;
    inspected.current = true;
    inspect.mutate();
  }, [known, c]);

  if (user === undefined) return <LoadingScreen />;
  if (user === null) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  const kinds = new Set(factors.data?.factors.map((f) => f.kind));
  const canTotp = !factors.data || kinds.has('totp');
  const canPasskey = !factors.data || kinds.has('passkey');
  const finished = approve.isSuccess || deny.isSuccess;
  const failure = inspect.error ?? approve.error ?? deny.error;
  const view = inspect.data;

  return (
    <PublicPage>
      <Typography.Title level={1}>{t('signIn.qrApprove.title')}</Typography.Title>
      {!c && <Alert type="error" title={t('signIn.qrApprove.missing')} />}
      {view && !finished && (
        <>
          <Typography.Paragraph>{t('signIn.qrApprove.intro')}</Typography.Paragraph>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('signIn.qrApprove.browser')}>{view.browser}</Descriptions.Item>
            <Descriptions.Item label={t('signIn.qrApprove.ip')}>{view.ip}</Descriptions.Item>
            {view.terminal_id && (
              <Descriptions.Item label={t('signIn.qrApprove.terminal')}>{view.terminal_id}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('signIn.qrApprove.createdAt')}>
              {formatBeijing(view.created_at, true)}
            </Descriptions.Item>
            <Descriptions.Item label={t('signIn.qrApprove.expiresAt')}>
              {formatBeijing(view.expires_at, true)}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ marginTop: 16 }}>
            {t('signIn.qrApprove.signedInAs', { name: user.name })}
          </Typography.Paragraph>
          {canPasskey && (
            <Button
              type="primary"
              block
              onClick={() => approve.mutate({ method: 'passkey' })}
              loading={approve.isPending && approve.variables?.method === 'passkey'}
            >
              {t('signIn.qrApprove.passkey')}
            </Button>
          )}
          {canPasskey && canTotp && <Divider />}
          {canTotp && (
            <Form
              layout="vertical"
              requiredMark={false}
              onFinish={({ code }: { code: string }) => approve.mutate({ method: 'totp', code })}
            >
              <Form.Item
                label={t('signIn.qrApprove.code')}
                name="code"
                extra={t('signIn.qrApprove.codeHelp')}
                rules={[{ required: true, message: '' }]}
              >
                <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                block
                loading={approve.isPending && approve.variables?.method === 'totp'}
              >
                {t('signIn.qrApprove.approve')}
              </Button>
            </Form>
          )}
          <Space style={{ marginTop: 16 }}>
            <Button danger onClick={() => deny.mutate()} loading={deny.isPending}>
              {t('signIn.qrApprove.deny')}
            </Button>
          </Space>
        </>
      )}
      {inspect.isPending && <Spin />}
      <div role="status" aria-live="polite">
        {approve.isSuccess && <Alert type="success" title={t('signIn.qrApprove.approved')} />}
        {deny.isSuccess && <Alert type="info" title={t('signIn.qrApprove.denied')} />}
      </div>
      {failure && !finished && <Alert type="error" title={problemText(failure, t)} style={{ marginTop: 16 }} />}
    </PublicPage>
  );
}
