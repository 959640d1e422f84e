import { Button, Input } from 'antd-mobile';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Navigate } from '../app.js';
import { QrScanner } from '../components/qr-scanner.js';
import { Field, Screen } from '../components/screen.js';
import { formatYuan, parseYuan } from '../format.js';
import { errorText, findObject, isNetworkError, useTerminal } from '../terminal.js';
import type { PaymentMethodInput, Sale } from '../types.js';

type Method = 'card' | 'wechat' | 'alipay' | 'unionpay' | 'cash' | 'order';
const METHODS: Method[] = ['card', 'wechat', 'alipay', 'unionpay', 'cash', 'order'];

/** 消费: amount, method, the method's details (the card number stands in for the card reader), charge, the outcome. */
export function SaleScreen({ go }: { go: Navigate }) {
  const { t } = useTranslation();
  const { call, onResumed } = useTerminal();
  const [amountText, setAmountText] = useState('');
  const [method, setMethod] = useState<Method>('card');
  const [cardNumber, setCardNumber] = useState('');
  const [expiry, setExpiry] = useState('');
  const [authCode, setAuthCode] = useState('');
  const [cashText, setCashText] = useState('');
  const [orderNo, setOrderNo] = useState('');
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [sale, setSale] = useState<Sale>();
  const [error, setError] = useState<string>();

  const amount = parseYuan(amountText);
  const cash = parseYuan(cashText);
  const change = amount !== undefined && cash !== undefined ? cash - amount : undefined;

  function paymentMethod(): PaymentMethodInput {
    switch (method) {
      case 'card':
        return { type: 'bank_card', card: { number: cardNumber.replace(/\s/g, ''), expiry, entry_mode: 'manual' } };
      case 'cash':
        return { type: 'cash', tendered: cash ?? 0 };
      case 'order':
        return { type: 'order', order_no: orderNo.trim() };
      default:
        return { type: 'qr', wallet: method, auth_code: authCode.replace(/\s/g, '') };
    }
  }

  async function charge(event: FormEvent) {
    event.preventDefault();
    if (amount === undefined || amount <= 0) {
      setError(t('sale.amountInvalid'));
      return;
    }
    setBusy(true);
    setError(undefined);
    setSale(undefined);
    try {
      setSale(await call((client) => client.sale({ amount, payment_method: paymentMethod() })));
      setWaiting(false);
    } catch (caught) {
      if (isNetworkError(caught)) setWaiting(true);
      else setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  // When the connection returns, the SDK sends the sale again with its idempotency key: the answer is the first
  // request's outcome (charged once), which this screen then shows.
  useEffect(
    () =>
      onResumed((answers) => {
        if (!waiting) return;
        const answered = findObject<Sale>(answers, 'sale');
        if (answered) {
          setSale(answered);
          setWaiting(false);
        }
      }),
    [onResumed, waiting],
  );

  function reset() {
    setSale(undefined);
    setAmountText('');
    setCardNumber('');
    setExpiry('');
    setAuthCode('');
    setCashText('');
    setOrderNo('');
  }

  const succeeded = sale?.status === 'succeeded';
  return (
    <Screen title={t('sale.title')} onBack={() => go({ name: 'home' })}>
      <form onSubmit={(event) => void charge(event)} className="pos-form">
        <Field id="sale-amount" label={t('sale.amount')} hint={t('sale.amountHint')}>
          <Input
            id="sale-amount"
            value={amountText}
            onChange={setAmountText}
            inputMode="decimal"
            placeholder="0.00"
            aria-describedby="sale-amount-hint"
            className="pos-input pos-amount"
          />
        </Field>
        <fieldset className="pos-methods">
          <legend>{t('sale.method')}</legend>
          {METHODS.map((name) => (
            <Button
              key={name}
              aria-pressed={method === name}
              color={method === name ? 'primary' : 'default'}
              fill={method === name ? 'solid' : 'outline'}
              onClick={() => setMethod(name)}
            >
              {t(`methods.${name}`)}
            </Button>
          ))}
        </fieldset>
        {method === 'card' ? (
          <>
            <Field id="card-number" label={t('sale.cardNumber')}>
              <Input
                id="card-number"
                value={cardNumber}
                onChange={setCardNumber}
                inputMode="numeric"
                autoComplete="cc-number"
                className="pos-input"
              />
            </Field>
            <Field id="card-expiry" label={t('sale.expiry')} hint={t('sale.expiryHint')}>
              <Input
                id="card-expiry"
                value={expiry}
                onChange={setExpiry}
                placeholder="MM/YY"
                autoComplete="cc-exp"
                aria-describedby="card-expiry-hint"
                className="pos-input"
              />
            </Field>
          </>
        ) : null}
        {method === 'wechat' || method === 'alipay' || method === 'unionpay' ? (
          <>
            <Field id="payment-code" label={t('sale.paymentCode')}>
              <Input
                id="payment-code"
                value={authCode}
                onChange={setAuthCode}
                inputMode="numeric"
                autoComplete="off"
                className="pos-input"
              />
            </Field>
            <QrScanner onCode={setAuthCode} />
          </>
        ) : null}
        {method === 'cash' ? (
          <Field id="cash-received" label={t('sale.cashReceived')}>
            <Input
              id="cash-received"
              value={cashText}
              onChange={setCashText}
              inputMode="decimal"
              className="pos-input"
            />
          </Field>
        ) : null}
        {method === 'cash' && change !== undefined ? (
          <output className="pos-change" htmlFor="sale-amount cash-received">
            {change >= 0 ? t('sale.change', { amount: formatYuan(change) }) : t('sale.changeShort')}
          </output>
        ) : null}
        {method === 'order' ? (
          <Field id="order-no" label={t('sale.orderNo')}>
            <Input id="order-no" value={orderNo} onChange={setOrderNo} autoComplete="off" className="pos-input" />
          </Field>
        ) : null}
        {error ? (
          <div role="alert" className="pos-error">
            {error}
          </div>
        ) : null}
        <div role="status" className={`pos-result${sale ? (succeeded ? ' pos-ok' : ' pos-bad') : ''}`}>
          {sale ? (
            <>
              <strong>
                {succeeded ? t('sale.succeeded') : t('sale.declined')} {formatYuan(sale.amount)}
              </strong>
              <div>{t('sale.reference', { id: sale.id })}</div>
              {sale.payment_method.type === 'cash' ? (
                <div>{t('sale.change', { amount: formatYuan(sale.payment_method.change) })}</div>
              ) : null}
              {sale.decline_code ? <div>{sale.decline_code}</div> : null}
            </>
          ) : waiting ? (
            t('sale.pending')
          ) : busy ? (
            t('sale.charging')
          ) : null}
        </div>
        {sale ? (
          <div className="pos-actions">
            {succeeded ? (
              <Button block size="large" color="primary" onClick={() => go({ name: 'receipt', sale })}>
                {t('sale.receipt')}
              </Button>
            ) : null}
            <Button block size="large" onClick={reset}>
              {t('sale.newSale')}
            </Button>
          </div>
        ) : (
          <Button
            block
            color="primary"
            size="large"
            type="submit"
            loading={busy}
            disabled={busy || waiting || amount === undefined}
          >
            {t('sale.charge')}
          </Button>
        )}
      </form>
    </Screen>
  );
}
