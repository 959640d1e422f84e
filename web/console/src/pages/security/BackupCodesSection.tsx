import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { useReauth } from '../../reauth.js';
import { BackupCodesShown } from './BackupCodesShown.js';
import { FACTORS_QUERY } from './FactorsSection.js';
import { problemText } from './problem.js';

/** How many backup codes are left; a new set (re-auth), shown once, replaces the old one. */
export function BackupCodesSection() {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const factors = useQuery({ queryKey: FACTORS_QUERY, queryFn: () => unwrap(api.GET('/v1/me/second-factors')) });
  const regenerate = useMutation({
    mutationFn: () => withReauth(() => unwrap(api.POST('/v1/me/backup-codes', { body: {} }))),
    onMutate: () => setError(undefined),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: FACTORS_QUERY }),
    onError: (e) => setError(problemText(e, t)),
  });
  return (
    <Card>
      <Typography.Title level={2}>{t('security.backupCodes.title')}</Typography.Title>
      <Typography.Paragraph>{t('security.backupCodes.intro')}</Typography.Paragraph>
      {factors.data && (
        <Typography.Paragraph strong>
          {t('security.backupCodes.left', { n: factors.data.backup_codes_left })}
        </Typography.Paragraph>
      )}
      {regenerate.data && <BackupCodesShown codes={regenerate.data.backup_codes} />}
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Button onClick={() => regenerate.mutate()} loading={regenerate.isPending}>
        {t('security.backupCodes.regenerate')}
      </Button>
    </Card>
  );
}
