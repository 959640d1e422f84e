import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { Navigate } from '../app.js';
import { Receipt } from '../components/receipt.js';
import { Screen } from '../components/screen.js';
import type { Sale } from '../types.js';

/** The sale's receipt on screen, printable on a 58 mm roll. */
export function ReceiptScreen({ go, sale }: { go: Navigate; sale: Sale }) {
  const { t } = useTranslation();
  return (
    <Screen
      title={t('receipt.title')}
      onBack={() => go({ name: 'sale' })}
      footer={
        <div className="pos-actions">
          <Button block size="large" color="primary" onClick={() => window.print()}>
            {t('app.print')}
          </Button>
          <Button block size="large" onClick={() => go({ name: 'home' })}>
            {t('app.done')}
          </Button>
        </div>
      }
    >
      <Receipt sale={sale} />
    </Screen>
  );
}
