import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session.js';
import { BackupCodesSection } from './BackupCodesSection.js';
import { ContactSection } from './ContactSection.js';
import { FactorsSection } from './FactorsSection.js';
import { PoliciesSection } from './PoliciesSection.js';
import { RecipientsSection } from './RecipientsSection.js';
import { SessionsSection } from './SessionsSection.js';

/**
 * 安全: my second factors (passkeys, authenticator app, SMS), backup codes, sessions, my phone and e-mail, and the
 * stores' refund policies (owners edit, managers read).
 */
export function SecurityPage() {
  const { t } = useTranslation();
  const { user } = useSession();
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
        {user?.role === 'owner' && <RecipientsSection />}
        {(user?.role === 'owner' || user?.role === 'manager') && <PoliciesSection />}
      </Space>
    </div>
  );
}
