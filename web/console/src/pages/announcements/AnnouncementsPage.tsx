import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The platform admins publish announcements (公告) and see their history. */
export function AnnouncementsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={1}>{t('announcements.title')}</Typography.Title>;
}
