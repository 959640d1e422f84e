import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { BackupCodesSection } from './BackupCodesSection.js';
import { ContactSection } from './ContactSection.js';
import { FactorsSection } from './FactorsSection.js';
import { SessionsSection } from './SessionsSection.js';

/** 安全: my second factors (passkeys, authenticator app), backup codes, sessions, and where notices go. */
export function SecurityPage() {
  const { t } = useTranslation();
  return (
    <div style={{ maxWidth: 720 }}>
      <Typography.Title level={1}>{t('security.title')}</Typography.Title>
      <Typography.Paragraph>
        {t('security.intro')} {t('security.timeZone')}
      </Typography.Paragraph>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <FactorsSection />
        <BackupCodesSection />
        <SessionsSection />
        <ContactSection />
      </Space>
    </div>
  );
}
