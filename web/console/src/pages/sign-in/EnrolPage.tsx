import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Divider, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { api, unwrap } from '../../api.js';
import { LoadingScreen } from '../../components/LoadingScreen.js';
import { PublicPage } from '../../Shell.js';
import { useSession } from '../../session.js';
import { BackupCodesShown } from '../security/BackupCodesShown.js';
import { FACTORS_QUERY } from '../security/FactorsSection.js';
import { PasskeySetup } from '../security/PasskeySetup.js';
import { SmsFactorSetup } from '../security/SmsFactorSetup.js';
import { TotpSetup } from '../security/TotpSetup.js';

/**
 * First sign-in of an owner or manager without a second factor (the server answers every other route
 * 403 SECOND_FACTOR_ENROLMENT_REQUIRED until then): a passkey, an authenticator app or SMS codes, then the backup
 * codes, once.
 */
export function EnrolPage() {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [codes, setCodes] = useState<string[]>();
  const factors = useQuery({
    queryKey: FACTORS_QUERY,
    queryFn: () => unwrap(api.GET('/v1/me/second-factors')),
    enabled: Boolean(user),
    staleTime: Number.POSITIVE_INFINITY,
  });

  if (user === undefined) return <LoadingScreen />;
  if (user === null) return <Navigate to="/login" replace />;
  if (!codes && factors.data && (factors.data.factors.length > 0 || !factors.data.required)) {
    return <Navigate to="/" replace />;
  }
  const finish = async () => {
    await queryClient.invalidateQueries();
    void navigate('/', { replace: true });
  };
  return (
    <PublicPage>
      <Typography.Title level={1}>{t('signIn.enrol.title')}</Typography.Title>
      {codes ? (
        <>
          <div role="status" aria-live="polite">
            <Alert type="success" title={t('signIn.enrol.done')} style={{ marginBottom: 16 }} />
          </div>
          {codes.length > 0 && <BackupCodesShown codes={codes} />}
          <Button type="primary" block onClick={() => void finish()}>
            {t('signIn.enrol.continue')}
          </Button>
        </>
      ) : (
        <>
          <Typography.Paragraph>{t('signIn.enrol.intro')}</Typography.Paragraph>
          <section aria-labelledby="enrol-passkey">
            <Typography.Title level={2} id="enrol-passkey">
              {t('signIn.enrol.passkeyTitle')}
            </Typography.Title>
            <Typography.Paragraph>{t('signIn.enrol.passkeyIntro')}</Typography.Paragraph>
            <PasskeySetup onAdded={(added) => setCodes(added.backup_codes ?? [])} />
          </section>
          <Divider>{t('signIn.enrol.or')}</Divider>
          <section aria-labelledby="enrol-totp">
            <Typography.Title level={2} id="enrol-totp">
              {t('signIn.enrol.totpTitle')}
            </Typography.Title>
            <Typography.Paragraph>{t('signIn.enrol.totpIntro')}</Typography.Paragraph>
            <TotpSetup onDone={setCodes} />
          </section>
          <Divider>{t('signIn.enrol.or')}</Divider>
          <section aria-labelledby="enrol-sms">
            <Typography.Title level={2} id="enrol-sms">
              {t('signIn.enrol.smsTitle')}
            </Typography.Title>
            <Typography.Paragraph>{t('signIn.enrol.smsIntro')}</Typography.Paragraph>
            <SmsFactorSetup onDone={setCodes} />
          </section>
        </>
      )}
      <Divider />
      <Button type="link" onClick={() => void signOut()} style={{ paddingInline: 0 }}>
        {t('shell.signOut')}
      </Button>
    </PublicPage>
  );
}
