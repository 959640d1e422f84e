/**
 * The back-office console (/console): React 19, Ant Design 6, react-router, TanStack Query, react-i18next.
 *
 * HOW TO ADD A PAGE
 * 1. Make web/console/src/pages/<page>/ with the page component (e.g. StoresPage.tsx) and messages.ts exporting
 *    `export const zhCN = {...}` and `export const en: typeof zhCN = {...}` (Chinese first; a key missing in English
 *    fails the typecheck, a key missing at run time fails the browser tests).
 * 2. Register the texts: one import and one entry in `namespaces` in web/console/src/i18n.ts; use them as
 *    `t('<namespace>.<key>')`.
 * 3. Register the page: replace or append its entry in `consoleRoutes` (web/console/src/routes.tsx). `navKey` puts it
 *    in the navigation (names in shell.messages.ts `nav`; the nine links are the UI contract of ../shared/UI.md); `roles` says who may open it.
 * 4. Call the API with the typed client: `unwrap(api.GET('/v1/stores'))` from ./api.js inside a TanStack Query
 *    `useQuery`/`useMutation`. The CSRF header, Accept-Language and "401 → sign-in page" are handled for you.
 *    A sensitive write (routes with re-auth) goes through `const withReauth = useReauth()` (./reauth.js):
 *    `withReauth(() => unwrap(api.POST(...)))` asks for the password or passkey when the server says so and retries.
 * 5. Show amounts with formatYuan(fen) → ¥1,234.56 and times with formatBeijing(iso) (./format.js): 北京时间.
 *    Every page starts with one <Typography.Title level={1}>; errors in an antd <Alert type="error"> (role alert).
 * 6. Test it in test/browser/console.<page>.test.ts (see console.refund-key.test.ts): expectAllTranslated and
 *    expectAccessible in both languages, at 1280 and 375 px, and screenshot(page, 'console-<page>-<desktop|phone>').
 */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router';
import { PRIMARY_COLOR } from '../../shared/theme.js';
import { ApplyPage } from './pages/apply/ApplyPage.js';
import { StatusPage as ApplicationStatusPage } from './pages/apply/StatusPage.js';
import { NotFound } from './pages/placeholder/NotFound.js';
import { EnrolPage } from './pages/sign-in/EnrolPage.js';
import { InvitationPage } from './pages/sign-in/InvitationPage.js';
import { PasswordResetPage } from './pages/sign-in/PasswordResetPage.js';
import { QrApprovePage } from './pages/sign-in/QrApprovePage.js';
import { SignInPage } from './pages/sign-in/SignInPage.js';
import { AccountResetPage } from './pages/support-reset/AccountResetPage.js';
import { ReauthProvider } from './reauth.js';
import { consoleRoutes } from './routes.js';
import { RoleGate, Shell } from './Shell.js';
import { SessionProvider, sessionEvents } from './session.js';

/**
 * Colours that keep WCAG AA contrast (4.5:1) for normal text on white: antd's default secondary grey, error red,
 * success green and hover blue fall below it, and axe in the browser tests fails on them.
 */
const THEME = {
  token: {
    colorPrimary: PRIMARY_COLOR,
    colorInfo: PRIMARY_COLOR,
    colorLink: PRIMARY_COLOR,
    colorPrimaryHover: '#003eb3',
    colorLinkHover: '#003eb3',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    colorError: '#cf1322',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
  },
};

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error) => sessionEvents.onError(error) }),
  mutationCache: new MutationCache({ onError: (error) => sessionEvents.onError(error) }),
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } },
});

/** antd's own texts and the document title follow the page's language. */
function Localized({ children }: { children: React.ReactNode }) {
  const { i18n, t } = useTranslation();
  const [language, setLanguage] = useState(i18n.language);
  useEffect(() => {
    const changed = (lng: string) => {
      setLanguage(lng);
      document.title = t('shell.title');
    };
    document.title = t('shell.title');
    i18n.on('languageChanged', changed);
    return () => i18n.off('languageChanged', changed);
  }, [i18n, t]);
  return (
    // No space inside two-character Chinese buttons (antd writes "批 准"; a screen reader then spells it out).
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Localized>
        <BrowserRouter basename="/console">
          <SessionProvider>
            <ReauthProvider>
              <Routes>
                <Route path="login" element={<SignInPage />} />
                <Route path="password-reset" element={<PasswordResetPage />} />
                <Route path="account-reset" element={<AccountResetPage />} />
                <Route path="invitation" element={<InvitationPage />} />
                <Route path="enrol" element={<EnrolPage />} />
                <Route path="qr/:id" element={<QrApprovePage />} />
                <Route path="apply" element={<ApplyPage />} />
                <Route path="apply/status" element={<ApplicationStatusPage />} />
                <Route element={<Shell />}>
                  {consoleRoutes.map((route) => (
                    <Route
                      key={route.path}
                      index={route.path === ''}
                      path={route.path || undefined}
                      element={<RoleGate roles={route.roles}>{route.element}</RoleGate>}
                    />
                  ))}
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </ReauthProvider>
          </SessionProvider>
        </BrowserRouter>
      </Localized>
    </QueryClientProvider>
  );
}
