import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function RefundKeyPage() {
  const { t } = useTranslation();
  return <Typography.Title level={1}>{t('refundKey.title')}</Typography.Title>;
}
