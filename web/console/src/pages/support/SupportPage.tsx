import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The support desk for support agents (客服): merchants, cases, identity checks, second-agent approval. */
export function SupportPage() {
  const { t } = useTranslation();
  return <Typography.Title level={1}>{t('support.title')}</Typography.Title>;
}
