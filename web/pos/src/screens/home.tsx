import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { Navigate } from '../app.js';
import { Announcements } from '../components/announcements.js';
import { Screen } from '../components/screen.js';
import { useTerminal } from '../terminal.js';

/** The cashier's four jobs as four big buttons, and signing out at the end of a shift. */
export function HomeScreen({ go }: { go: Navigate }) {
  const { t } = useTranslation();
  const { credentials, signOut } = useTerminal();
  return (
    <Screen title={t('home.title')}>
      <p className="pos-muted">{t('home.operator', { no: credentials.operatorNo ?? '' })}</p>
      <Announcements />
      <nav className="pos-home-grid" aria-label={t('home.title')}>
        <Button color="primary" className="pos-home-button" onClick={() => go({ name: 'sale' })}>
          {t('home.sale')}
        </Button>
        <Button color="primary" fill="outline" className="pos-home-button" onClick={() => go({ name: 'refund' })}>
          {t('home.refund')}
        </Button>
        <Button className="pos-home-button" onClick={() => go({ name: 'today' })}>
          {t('home.today')}
        </Button>
        <Button className="pos-home-button" onClick={() => go({ name: 'settlement' })}>
          {t('home.settle')}
        </Button>
      </nav>
      <Button block fill="outline" size="large" onClick={() => void signOut()}>
        {t('home.signOut')}
      </Button>
    </Screen>
  );
}
