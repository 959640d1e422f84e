import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function SecurityPage() {
  const { t } = useTranslation();
  return <Typography.Title level={1}>{t('security.title')}</Typography.Title>;
}
