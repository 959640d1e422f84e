import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Spin, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { type SignedInAnswer, useSession } from '../../session.js';
import { errorText } from './SignInPage.js';

/**
 * QR login (扫码登录): this browser asks for a code bound to it (the rk_qr cookie), shows it, and polls until a
 * signed-in owner or manager approves it on their phone (/console/qr/:id) — then the poll itself signs this browser in.
 */
export function QrSignIn({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const [image, setImage] = useState<string>();
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/auth/qr-logins', { body: {} })),
    onSuccess: async (answer) => setImage(await QRCode.toDataURL(answer.qr_payload, { margin: 1, width: 240 })),
  });
  // One code when the panel opens (the ref keeps React's development double effects from asking for a second one).
  const asked = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the panel opens
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    start.mutate();
  }, []);
  const id = start.data?.id;
  const poll = useQuery({
    queryKey: ['qr-login', id],
    enabled: id !== undefined,
    queryFn: () => unwrap(api.GET('/v1/auth/qr-logins/{id}', { params: { path: { id: id as string } } })),
    refetchInterval: (query) => (query.state.data?.status === 'pending' || !query.state.data ? 1500 : false),
    retry: false,
  });
  const status = poll.data?.status;
  useEffect(() => {
    if (poll.data?.status === 'signed_in') signedIn(poll.data as unknown as SignedInAnswer);
  }, [poll.data, signedIn]);

  const ended = status === 'denied' || status === 'expired' || status === 'used' || poll.isError;
  return (
    <section aria-labelledby="qr-title">
      <Typography.Title level={2} id="qr-title">
        {t('signIn.qr.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('signIn.qr.help')}</Typography.Paragraph>
      <div style={{ textAlign: 'center', minHeight: 240 }}>
        {image && !ended ? <img src={image} alt={t('signIn.qr.image')} width={240} height={240} /> : !ended && <Spin />}
      </div>
      {start.data && !ended && (
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('signIn.qr.expiresAt', { time: formatBeijing(start.data.expires_at, true) })}
        </Typography.Paragraph>
      )}
      <div role="status" aria-live="polite">
        {!ended && status === 'pending' && <Typography.Paragraph>{t('signIn.qr.waiting')}</Typography.Paragraph>}
        {status === 'denied' && <Alert type="warning" title={t('signIn.qr.denied')} />}
        {status === 'expired' && <Alert type="warning" title={t('signIn.qr.expired')} />}
        {status === 'used' && <Alert type="warning" title={t('signIn.qr.used')} />}
      </div>
      {(start.isError || poll.isError) && (
        <Alert type="error" title={errorText(start.error ?? poll.error, t('shell.error.unknown'))} />
      )}
      <Space style={{ marginTop: 16 }} wrap>
        {ended && (
          <Button
            onClick={() => {
              setImage(undefined);
              start.mutate();
            }}
          >
            {t('signIn.qr.again')}
          </Button>
        )}
        <Button type="link" onClick={onBack}>
          {t('signIn.qr.back')}
        </Button>
      </Space>
    </section>
  );
}
