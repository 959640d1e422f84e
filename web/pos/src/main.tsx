import { Button, ConfigProvider, Form, Input } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { startI18n } from '../../shared/i18n.js';
import { PRIMARY_COLOR } from '../../shared/theme.js';
import { en, zhCN as zh } from './messages.js';

function Activation() {
  const { t } = useTranslation();
  return (
    <main>
      <h1>{t('activation.title')}</h1>
      <Form
        layout="vertical"
        footer={
          <Button block color="primary" type="submit">
            {t('activation.submit')}
          </Button>
        }
      >
        <Form.Item label={t('activation.code')} name="activation_code">
          <Input />
        </Form.Item>
      </Form>
    </main>
  );
}

document.documentElement.style.setProperty('--adm-color-primary', PRIMARY_COLOR);
const lang = await startI18n({ 'zh-CN': zh, en });
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN}>
        <Activation />
      </ConfigProvider>
    </StrictMode>,
  );
}
