import { Button, ConfigProvider, Form, Input, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { startI18n } from '../../shared/i18n.js';
import { PRIMARY_COLOR } from '../../shared/theme.js';
import { en, zhCN as zh } from './messages.js';

function SignIn() {
  const { t } = useTranslation();
  return (
    <main style={{ maxWidth: 360, margin: '64px auto', padding: 16 }}>
      <Typography.Title level={1}>{t('signIn.title')}</Typography.Title>
      <Form layout="vertical">
        <Form.Item label={t('signIn.login')} name="login">
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item label={t('signIn.password')} name="password">
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block>
          {t('signIn.submit')}
        </Button>
      </Form>
    </main>
  );
}

const lang = await startI18n({ 'zh-CN': zh, en });
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: PRIMARY_COLOR } }}>
        <SignIn />
      </ConfigProvider>
    </StrictMode>,
  );
}
