import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { startI18n } from '../../shared/i18n.js';
import { PRIMARY_COLOR } from '../../shared/theme.js';
import { App } from './app.js';
import { en, zhCN as zh } from './messages.js';
import { TerminalProvider } from './terminal.js';
import './styles.css';

/** antd-mobile's own texts follow the page's language, and so does the document title. */
function Localized() {
  const { i18n } = useTranslation();
  const [language, setLanguage] = useState(i18n.language);
  useEffect(() => {
    const changed = (lng: string) => {
      setLanguage(lng);
      document.title = i18n.t('app.title');
    };
    document.title = i18n.t('app.title');
    i18n.on('languageChanged', changed);
    return () => i18n.off('languageChanged', changed);
  }, [i18n]);
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN}>
      <TerminalProvider>
        <App />
      </TerminalProvider>
    </ConfigProvider>
  );
}

document.documentElement.style.setProperty('--adm-color-primary', PRIMARY_COLOR);
await startI18n({ 'zh-CN': zh, en });
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Localized />
    </StrictMode>,
  );
}
