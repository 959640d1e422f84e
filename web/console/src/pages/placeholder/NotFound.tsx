import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={1}>{t('shell.notFound')}</Typography.Title>
      <Link to="/">{t('shell.backHome')}</Link>
    </>
  );
}
