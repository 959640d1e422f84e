import { Button, Input, TextArea } from 'antd-mobile';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Navigate } from '../app.js';
import { QrScanner } from '../components/qr-scanner.js';
import { Field, Screen } from '../components/screen.js';
import { beijingTime, formatYuan, methodName, parseYuan } from '../format.js';
import { errorText, useTerminal } from '../terminal.js';
import type { Sale } from '../types.js';

const REASONS = ['returned', 'wrongAmount', 'duplicate', 'dissatisfied'] as const;

/**
 * Refund, screen 1 of at most 3 (then authorize, then the result): find the sale (typed, scanned from the receipt's QR
 * code, or picked in Today), then amount and reason on the same screen, so the cashier never leaves it to continue.
 */
export function RefundScreen({ go, sale: picked }: { go: Navigate; sale?: Sale }) {
  const { t } = useTranslation();
  const { call } = useTerminal();
  const [reference, setReference] = useState(picked?.id ?? '');
  const [sale, setSale] = useState<Sale | undefined>(picked);
  const [amountText, setAmountText] = useState(picked ? (picked.refundable_amount / 100).toFixed(2) : '');
  const [reason, setReason] = useState('');
  const [toCash, setToCash] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function find(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setError(undefined);
    setSale(undefined);
    try {
      const found = await call((client) => client.getSale(reference.trim()));
      setSale(found);
      setAmountText((found.refundable_amount / 100).toFixed(2));
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  async function start(event: FormEvent) {
    event.preventDefault();
    if (!sale) return;
    const amount = parseYuan(amountText);
    if (amount === undefined || amount <= 0 || amount > sale.refundable_amount) {
      setError(t('refund.amountInvalid'));
      return;
    }
    if (!reason.trim()) {
      setError(t('refund.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const refund = await call((client) =>
        client.refund({
          sale_id: sale.id,
          amount,
          reason: reason.trim(),
          ...(toCash ? { refund_to: 'cash' as const } : {}),
        }),
      );
      go({ name: 'authorize', refund, sale });
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  const refundable = sale && sale.status === 'succeeded' && sale.refundable_amount > 0;
  return (
    <Screen title={t('refund.title')} onBack={() => go({ name: 'home' })}>
      <form onSubmit={(event) => void find(event)} className="pos-form">
        <Field id="sale-reference" label={t('refund.saleReference')}>
          <Input
            id="sale-reference"
            value={reference}
            onChange={setReference}
            autoComplete="off"
            placeholder="sal_…"
            className="pos-input"
          />
        </Field>
        <QrScanner onCode={setReference} />
        <Button block size="large" type="submit" loading={busy && !sale} disabled={!reference.trim()}>
          {t('refund.find')}
        </Button>
      </form>
      {sale ? (
        <form onSubmit={(event) => void start(event)} className="pos-form">
          <div className="pos-card">
            <div>
              {t('refund.sale', {
                amount: formatYuan(sale.amount),
                method: methodName(sale.payment_method, t),
                time: beijingTime(sale.created_at),
              })}
            </div>
            <strong>
              {refundable
                ? t('refund.refundable', { amount: formatYuan(sale.refundable_amount) })
                : t('refund.notRefundable')}
            </strong>
          </div>
          {refundable ? (
            <>
              <Field id="refund-amount" label={t('refund.amount')}>
                <Input
                  id="refund-amount"
                  value={amountText}
                  onChange={setAmountText}
                  inputMode="decimal"
                  className="pos-input pos-amount"
                />
              </Field>
              <fieldset className="pos-chips">
                <legend>{t('refund.quickReasons')}</legend>
                {REASONS.map((key) => (
                  <Button key={key} size="small" onClick={() => setReason(t(`refund.reasons.${key}`))}>
                    {t(`refund.reasons.${key}`)}
                  </Button>
                ))}
              </fieldset>
              <Field id="refund-reason" label={t('refund.reason')}>
                <TextArea id="refund-reason" value={reason} onChange={setReason} rows={2} maxLength={200} />
              </Field>
              {sale.payment_method.type !== 'cash' ? (
                <label className="pos-check">
                  <input type="checkbox" checked={toCash} onChange={(event) => setToCash(event.target.checked)} />
                  {t('refund.toCash')}
                </label>
              ) : null}
              <Button block color="primary" size="large" type="submit" loading={busy}>
                {t('refund.continue')}
              </Button>
            </>
          ) : null}
        </form>
      ) : null}
      {error ? (
        <div role="alert" className="pos-error">
          {error}
        </div>
      ) : null}
    </Screen>
  );
}
