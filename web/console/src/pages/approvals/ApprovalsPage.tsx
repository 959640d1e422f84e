import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function ApprovalsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={1}>{t('approvals.title')}</Typography.Title>;
}
