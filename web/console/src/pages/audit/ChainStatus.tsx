import { useQuery } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { errorText } from '../sign-in/SignInPage.js';

/** The hash chain's status (GET /v1/audit/chain): intact up to which entry, or where it breaks and why. */
export function ChainStatus() {
  const { t } = useTranslation();
  const chain = useQuery({
    queryKey: ['audit-chain'],
    queryFn: () => unwrap(api.GET('/v1/audit/chain')),
    refetchOnWindowFocus: false,
  });
  const again = (
    <Button size="small" onClick={() => void chain.refetch()} loading={chain.isFetching}>
      {t('audit.chain.recheck')}
    </Button>
  );
  const c = chain.data;
  if (chain.error) {
    return (
      <Alert
        type="error"
        role="alert"
        showIcon
        title={errorText(chain.error, t('shell.error.unknown'))}
        action={again}
      />
    );
  }
  return (
    <Alert
      style={{ marginBottom: 16 }}
      showIcon
      action={c ? again : undefined}
      role={c?.status === 'broken' ? 'alert' : 'status'}
      type={!c ? 'info' : c.status === 'intact' ? 'success' : 'error'}
      title={
        !c
          ? t('audit.chain.checking')
          : c.status === 'intact'
            ? t('audit.chain.intact', { seq: c.verified_to_seq, checked: c.checked })
            : t('audit.chain.broken', { seq: c.broken_at_seq, reason: c.reason, verified: c.verified_to_seq })
      }
    />
  );
}
