import { Button, List } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Navigate } from '../app.js';
import { Screen } from '../components/screen.js';
import { beijingTime, formatYuan, methodName } from '../format.js';
import { errorText, useTerminal } from '../terminal.js';
import type { Sale } from '../types.js';

/** 今日交易: this terminal's sales of today, newest first; pick one to see its receipt, refund it or void it. */
export function TodayScreen({ go }: { go: Navigate }) {
  const { t } = useTranslation();
  const { call } = useTerminal();
  const [sales, setSales] = useState<Sale[]>();
  const [more, setMore] = useState(false);
  const [chosen, setChosen] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirmVoid, setConfirmVoid] = useState<string>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const page = await call((client) => client.todaySales());
      setSales(page.data);
      setMore(page.has_more);
    } catch (caught) {
      setError(errorText(caught, t));
    }
  }, [call, t]);

  useEffect(() => {
    void load();
  }, [load]);

  async function voidSale(sale: Sale) {
    setBusy(true);
    try {
      const refund = await call((client) =>
        client.refund({ sale_id: sale.id, amount: sale.amount, reason: t('today.voidReason'), type: 'void' }),
      );
      go({ name: 'authorize', refund, sale });
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Screen title={t('today.title')} onBack={() => go({ name: 'home' })}>
      {error ? (
        <div role="alert" className="pos-error">
          {error}
        </div>
      ) : null}
      {sales && sales.length === 0 ? <p>{t('today.empty')}</p> : null}
      {sales && sales.length > 0 ? (
        <List aria-label={t('today.title')}>
          {sales.map((sale) => {
            const open = chosen === sale.id;
            const refundable = sale.status === 'succeeded' && sale.refundable_amount > 0;
            return (
              <List.Item key={sale.id} className="pos-sale-item">
                <button
                  type="button"
                  className="pos-sale-row"
                  aria-expanded={open}
                  onClick={() => setChosen(open ? undefined : sale.id)}
                >
                  <span className="pos-sale-amount">{formatYuan(sale.amount)}</span>
                  <span>{methodName(sale.payment_method, t)}</span>
                  <span>{t(`status.${sale.status}`)}</span>
                  <span className="pos-muted">{beijingTime(sale.created_at).slice(11)}</span>
                  <span className="pos-muted pos-sale-ref">{sale.id}</span>
                </button>
                {open ? (
                  <div className="pos-actions">
                    {refundable ? (
                      <span className="pos-muted">
                        {t('today.refundable', { amount: formatYuan(sale.refundable_amount) })}
                      </span>
                    ) : null}
                    <Button onClick={() => go({ name: 'receipt', sale })}>{t('sale.receipt')}</Button>
                    {refundable ? (
                      <Button color="primary" onClick={() => go({ name: 'refund', sale })}>
                        {t('today.refund')}
                      </Button>
                    ) : null}
                    {refundable && sale.refunded_amount === 0 ? (
                      <Button color="danger" fill="outline" onClick={() => setConfirmVoid(sale.id)}>
                        {t('today.void')}
                      </Button>
                    ) : null}
                    {confirmVoid === sale.id ? (
                      <div className="pos-card">
                        <span>{t('today.voidConfirm', { amount: formatYuan(sale.amount) })}</span>
                        <Button color="danger" loading={busy} onClick={() => void voidSale(sale)}>
                          {t('today.voidYes')}
                        </Button>
                      </div>
                    ) : null}
                  </div>
                ) : null}
              </List.Item>
            );
          })}
        </List>
      ) : null}
      {more ? <p className="pos-muted">{t('today.more')}</p> : null}
      <Button block size="large" onClick={() => void load()}>
        {t('today.load')}
      </Button>
    </Screen>
  );
}
