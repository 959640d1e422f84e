import { Alert, Typography } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** Ten fresh backup codes, shown once (the server keeps only their HMACs). */
export function BackupCodesShown({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <Typography.Title level={3} id={id}>
        {t('security.backupCodes.list')}
      </Typography.Title>
      <Alert type="warning" title={t('security.backupCodes.shownOnce')} style={{ marginBottom: 12 }} />
      <ul className="rk-codes" aria-labelledby={id}>
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
    </section>
  );
}
