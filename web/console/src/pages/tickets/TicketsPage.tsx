import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The after-sales tickets (售后): merchants open them, support answers. */
export function TicketsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={1}>{t('tickets.title')}</Typography.Title>;
}
