import { Button } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Navigate } from '../app.js';
import { Screen } from '../components/screen.js';
import { beijingTime, formatYuan } from '../format.js';
import { errorText, refusal, useTerminal } from '../terminal.js';
import type { Settlement } from '../types.js';

/** 结算: close the open batch and show (and print) its totals per method. */
export function SettlementScreen({ go }: { go: Navigate }) {
  const { t } = useTranslation();
  const { call } = useTerminal();
  const [settlement, setSettlement] = useState<Settlement>();
  const [empty, setEmpty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function settle(allowEmpty: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      setSettlement(await call((client) => client.settle(allowEmpty ? { allow_empty: true } : undefined)));
      setEmpty(false);
    } catch (caught) {
      if (refusal(caught)?.code === 'BATCH_EMPTY') setEmpty(true);
      else setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Screen
      title={t('settlement.title')}
      onBack={() => go({ name: 'home' })}
      footer={
        settlement ? (
          <div className="pos-actions">
            <Button block size="large" color="primary" onClick={() => window.print()}>
              {t('app.print')}
            </Button>
            <Button block size="large" onClick={() => go({ name: 'home' })}>
              {t('app.done')}
            </Button>
          </div>
        ) : undefined
      }
    >
      {settlement ? (
        <SettlementSummary settlement={settlement} />
      ) : (
        <div className="pos-form">
          <p>{t('settlement.intro')}</p>
          {empty ? <p role="status">{t('settlement.empty')}</p> : null}
          {error ? (
            <div role="alert" className="pos-error">
              {error}
            </div>
          ) : null}
          <Button block color="primary" size="large" loading={busy} onClick={() => void settle(false)}>
            {t('settlement.submit')}
          </Button>
          {empty ? (
            <Button block size="large" onClick={() => void settle(true)}>
              {t('settlement.closeEmpty')}
            </Button>
          ) : null}
        </div>
      )}
    </Screen>
  );
}

/** The batch's totals as a table, the same on screen and on the 58 mm printout. */
function SettlementSummary({ settlement }: { settlement: Settlement }) {
  const { t } = useTranslation();
  const rows = [
    ...settlement.by_method.map((line) => ({ name: t(`methods.${line.method}`), line })),
    { name: t('settlement.total'), line: settlement.totals },
  ];
  return (
    <section className="pos-receipt pos-print pos-settlement" aria-label={t('settlement.title')}>
      <div className="pos-receipt-title">{t('app.title')}</div>
      <div role="status" className="pos-receipt-title">
        {t('settlement.done')}
      </div>
      <div className="pos-muted">
        {t('settlement.period', { from: beijingTime(settlement.opened_at), to: beijingTime(settlement.closed_at) })}
      </div>
      <table>
        <caption className="pos-visually-hidden">{t('settlement.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settlement.method')}</th>
            <th scope="col">{t('settlement.sales')}</th>
            <th scope="col">{t('settlement.voids')}</th>
            <th scope="col">{t('settlement.refunds')}</th>
            <th scope="col">{t('settlement.fees')}</th>
            <th scope="col">{t('settlement.net')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ name, line }) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>
                {formatYuan(line.sales.amount)}
                <br />
                {t('settlement.count', { n: line.sales.count })}
              </td>
              <td>
                {formatYuan(line.voids.amount)}
                <br />
                {t('settlement.count', { n: line.voids.count })}
              </td>
              <td>
                {formatYuan(line.refunds.amount)}
                <br />
                {t('settlement.count', { n: line.refunds.count })}
              </td>
              <td>{formatYuan(line.fees)}</td>
              <td>{formatYuan(line.net)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pos-muted">{settlement.id}</div>
    </section>
  );
}
