import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PublicPage } from '../../Shell.js';

export function PasswordResetPage() {
  const { t } = useTranslation();
  return (
    <PublicPage>
      <Typography.Title level={1}>{t('signIn.title')}</Typography.Title>
    </PublicPage>
  );
}
