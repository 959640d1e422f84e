import { Button, Drawer, Grid, Layout, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { type Lang, switchLanguage } from '../../shared/i18n.js';
import { AnnouncementBanner } from './components/AnnouncementBanner.js';
import { LoadingScreen } from './components/LoadingScreen.js';
import { homePath, routesFor } from './routes.js';
import type { SignedInUser } from './session.js';
import { useSession } from './session.js';

/** Switches between Chinese and English; the choice is remembered (web/shared/i18n.ts). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other: Lang = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <Button type="text" lang={other} onClick={() => void switchLanguage(other)}>
      {t('shell.otherLanguage')}
    </Button>
  );
}

function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { environment, user } = useSession();
  if (!user) return null;
  return (
    <nav aria-label={t('shell.nav.label')} className="rk-nav">
      <ul>
        {routesFor(user.role)
          .filter((route) => route.navKey && (!route.devOnly || (environment && environment !== 'production')))
          .map((route) => (
            <li key={route.path}>
              <NavLink to={`/${route.path}`} end={route.path === ''} onClick={onNavigate}>
                {t(`shell.nav.${route.navKey}`)}
              </NavLink>
            </li>
          ))}
      </ul>
    </nav>
  );
}

/** A page the signed-in role may not open sends it to its own first page instead (the API would answer 403). */
export function RoleGate({ roles, children }: { roles: readonly SignedInUser['role'][]; children: ReactNode }) {
  const { user } = useSession();
  if (user && !roles.includes(user.role)) return <Navigate to={homePath(user.role)} replace />;
  return <>{children}</>;
}

/** A centred column for pages without the navigation (sign-in, invitation, QR approval on the phone). */
export function PublicPage({ children }: { children: ReactNode }) {
  return (
    <div className="rk-public">
      <header className="rk-public-header">
        <Typography.Text strong>{useTranslation().t('shell.title')}</Typography.Text>
        <LanguageSwitch />
      </header>
      <main className="rk-public-main">{children}</main>
    </div>
  );
}

/** The signed-in layout: navigation (a drawer on phones), who is signed in, language, and Sign out. */
export function Shell() {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [drawer, setDrawer] = useState(false);
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the drawer whenever the page changes
  useEffect(() => setDrawer(false), [location.pathname]);

  if (user === undefined) return <LoadingScreen />;
  if (user === null) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return (
    <Layout className="rk-shell">
      <Layout.Header className="rk-header">
        {phone && (
          <Button
            type="text"
            aria-label={t('shell.menu')}
            aria-expanded={drawer}
            onClick={() => setDrawer(true)}
            className="rk-header-text"
          >
            <span aria-hidden="true">☰</span>
          </Button>
        )}
        <Typography.Text strong className="rk-header-text rk-brand">
          {t('shell.brand')}
        </Typography.Text>
        <span className="rk-header-right">
          {!phone && (
            <Typography.Text className="rk-header-text">
              {t('shell.signedInAs', { name: user.name })} · {t(`shell.roles.${user.role}`)}
            </Typography.Text>
          )}
          <LanguageSwitch />
          <Button onClick={() => void signOut()}>{t('shell.signOut')}</Button>
        </span>
      </Layout.Header>
      <Layout>
        {phone ? (
          <Drawer
            open={drawer}
            onClose={() => setDrawer(false)}
            placement="left"
            size={260}
            title={t('shell.signedInAs', { name: user.name })}
          >
            <Navigation onNavigate={() => setDrawer(false)} />
          </Drawer>
        ) : (
          <Layout.Sider width={200} theme="light" className="rk-sider">
            <Navigation />
          </Layout.Sider>
        )}
        <Layout.Content className="rk-content">
          <main>
            <AnnouncementBanner />
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
