import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Divider, List, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { useReauth } from '../../reauth.js';
import { BackupCodesShown } from './BackupCodesShown.js';
import { PasskeySetup } from './PasskeySetup.js';
import { problemText } from './problem.js';
import { SmsFactorSetup } from './SmsFactorSetup.js';
import { TotpSetup } from './TotpSetup.js';

export const FACTORS_QUERY = ['me', 'second-factors'] as const;
const PASSKEYS_QUERY = ['me', 'passkeys'] as const;

/** My passkeys (add, list, remove with re-auth) and my authenticator app (set up, replace, remove). */
export function FactorsSection() {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [codes, setCodes] = useState<string[]>();
  const factors = useQuery({ queryKey: FACTORS_QUERY, queryFn: () => unwrap(api.GET('/v1/me/second-factors')) });
  const passkeys = useQuery({ queryKey: PASSKEYS_QUERY, queryFn: () => unwrap(api.GET('/v1/me/passkeys')) });
  const totp = factors.data?.factors.find((f) => f.kind === 'totp');
  const sms = factors.data?.factors.find((f) => f.kind === 'sms');
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: FACTORS_QUERY }),
      queryClient.invalidateQueries({ queryKey: PASSKEYS_QUERY }),
    ]);
  const changed = (text: string, backupCodes?: string[]) => {
    setError(undefined);
    setNotice(text);
    setCodes(backupCodes);
    void refresh();
  };
  const failed = (e: unknown) => {
    setNotice(undefined);
    setError(problemText(e, t));
  };

  const removePasskey = useMutation({
    mutationFn: (id: string) =>
      withReauth(() => unwrap(api.POST('/v1/me/passkeys/{id}/remove', { params: { path: { id } }, body: {} }))),
    onSuccess: () => changed(t('security.passkeys.removed')),
    onError: failed,
  });
  const removeTotp = useMutation({
    mutationFn: () => withReauth(() => unwrap(api.POST('/v1/me/totp/remove', { body: {} }))),
    onSuccess: () => changed(t('security.totp.removed')),
    onError: failed,
  });
  const removeSms = useMutation({
    mutationFn: () => withReauth(() => unwrap(api.POST('/v1/me/sms-factor/remove', { body: {} }))),
    onSuccess: () => changed(t('security.sms.removed')),
    onError: failed,
  });

  return (
    <Card>
      <Typography.Title level={2} id="factors-title">
        {t('security.factors.title')}
      </Typography.Title>
      <div role="status" aria-live="polite">
        {notice && <Alert type="success" title={notice} style={{ marginBottom: 16 }} />}
      </div>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      {codes && <BackupCodesShown codes={codes} />}

      <Typography.Title level={3}>{t('security.passkeys.title')}</Typography.Title>
      <Typography.Paragraph>{t('security.passkeys.intro')}</Typography.Paragraph>
      <section aria-label={t('security.passkeys.list')}>
        <List
          dataSource={passkeys.data?.data ?? []}
          loading={passkeys.isLoading}
          locale={{ emptyText: <Typography.Text type="secondary">{t('security.passkeys.empty')}</Typography.Text> }}
          renderItem={(p) => (
            <List.Item
              actions={[
                <Button
                  key="remove"
                  danger
                  aria-label={t('security.passkeys.removeNamed', { name: p.name })}
                  loading={removePasskey.isPending && removePasskey.variables === p.id}
                  onClick={() => removePasskey.mutate(p.id)}
                >
                  {t('security.passkeys.remove')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={p.name}
                description={
                  <>
                    {t('security.factors.addedAt', { time: formatBeijing(p.created_at) })}
                    {' · '}
                    {p.last_used_at
                      ? t('security.passkeys.lastUsedAt', { time: formatBeijing(p.last_used_at) })
                      : t('security.passkeys.never')}
                  </>
                }
              />
            </List.Item>
          )}
        />
      </section>
      <PasskeySetup onAdded={(a) => changed(t('security.passkeys.added', { name: a.name }), a.backup_codes)} />

      <Divider />
      <Typography.Title level={3}>{t('security.totp.title')}</Typography.Title>
      <Typography.Paragraph>{t('security.totp.intro')}</Typography.Paragraph>
      {totp && (
        <Typography.Paragraph>
          {t('security.totp.active', { time: formatBeijing(totp.created_at) })}
        </Typography.Paragraph>
      )}
      <TotpSetup onDone={(backupCodes) => changed(t('security.totp.done'), backupCodes)} />
      {totp && (
        <Button danger style={{ marginTop: 12 }} onClick={() => removeTotp.mutate()} loading={removeTotp.isPending}>
          {t('security.totp.remove')}
        </Button>
      )}

      <Divider />
      <Typography.Title level={3}>{t('security.sms.title')}</Typography.Title>
      <Typography.Paragraph>{t('security.sms.intro')}</Typography.Paragraph>
      {sms ? (
        <>
          <Typography.Paragraph>
            {t('security.sms.active', { time: formatBeijing(sms.created_at) })}
          </Typography.Paragraph>
          <Button danger onClick={() => removeSms.mutate()} loading={removeSms.isPending}>
            {t('security.sms.remove')}
          </Button>
        </>
      ) : (
        <SmsFactorSetup onDone={(backupCodes) => changed(t('security.sms.done'), backupCodes)} />
      )}
    </Card>
  );
}
