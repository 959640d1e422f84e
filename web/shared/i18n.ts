import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

export type Lang = 'zh-CN' | 'en';
const STORAGE_KEY = 'refundkey.lang';

/** `?lang=` wins and is remembered; otherwise the remembered choice; otherwise Chinese. */
export function chosenLanguage(): Lang {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (asked === 'en' || asked === 'zh-CN') {
    window.localStorage.setItem(STORAGE_KEY, asked);
    return asked;
  }
  const kept = window.localStorage.getItem(STORAGE_KEY);
  return kept === 'en' ? 'en' : 'zh-CN';
}

/**
 * One i18next instance per app. A missing key is a defect: in development and tests it is reported on
 * `window.__missingTranslations` (the browser suites fail on any), and the key itself is never shown as text.
 */
export async function startI18n(resources: { 'zh-CN': Resource[string]; en: Resource[string] }): Promise<Lang> {
  const lng = chosenLanguage();
  const missing: string[] = [];
  (window as unknown as { __missingTranslations: string[] }).__missingTranslations = missing;
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: false,
    resources: { 'zh-CN': resources['zh-CN'], en: resources.en },
    interpolation: { escapeValue: false },
    saveMissing: true,
    missingKeyHandler: (languages, _namespace, key) => missing.push(`${languages.join(',')}:${key}`),
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return lng;
}

/** Switch language now and for next time; `<html lang>` follows. */
export async function switchLanguage(lang: Lang): Promise<void> {
  window.localStorage.setItem(STORAGE_KEY, lang);
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export { i18next };
