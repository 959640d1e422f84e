import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NavKey } from '../../shell.messages.js';

/** A page that is still being built: its heading (the navigation's name for it) and one line. */
export function Placeholder({ navKey }: { navKey: NavKey }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={1}>{t(`shell.nav.${navKey}`)}</Typography.Title>
      <Typography.Paragraph>{t('shell.placeholder')}</Typography.Paragraph>
    </>
  );
}
