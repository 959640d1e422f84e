import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { beijingTime, formatYuan, methodName } from '../format.js';
import type { Sale } from '../types.js';

/** A QR code of a text as an image (the sale reference: scanning it at a refund finds the sale). */
export function QrImage({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(text, { margin: 1, width: 160, errorCorrectionLevel: 'M' }).then((url) => {
      if (live) setSrc(url);
    });
    return () => {
      live = false;
    };
  }, [text]);
  return src ? <img src={src} alt={label} className="pos-qr" width={160} height={160} /> : null;
}

/** The 58 mm receipt: on screen as a paper slip, printed alone (styles.css, @media print). */
export function Receipt({ sale }: { sale: Sale }) {
  const { t } = useTranslation();
  const method = sale.payment_method;
  return (
    <section className="pos-receipt pos-print" aria-label={t('receipt.title')}>
      <div className="pos-receipt-title">{t('app.title')}</div>
      <div className="pos-receipt-title">{t('receipt.sale')}</div>
      <dl>
        <dt>{t('receipt.amount')}</dt>
        <dd className="pos-receipt-amount">{formatYuan(sale.amount)}</dd>
        <dt>{t('receipt.method')}</dt>
        <dd>{methodName(method, t)}</dd>
        {method.type === 'bank_card' ? (
          <>
            <dt>{t('receipt.card')}</dt>
            <dd>{method.card.masked}</dd>
          </>
        ) : null}
        {method.type === 'cash' ? (
          <>
            <dt>{t('receipt.tendered')}</dt>
            <dd>{formatYuan(method.tendered)}</dd>
            <dt>{t('receipt.change')}</dt>
            <dd>{formatYuan(method.change)}</dd>
          </>
        ) : null}
        {sale.refunded_amount > 0 ? (
          <>
            <dt>{t('receipt.refunded')}</dt>
            <dd>{formatYuan(sale.refunded_amount)}</dd>
          </>
        ) : null}
        <dt>{t('receipt.status')}</dt>
        <dd>{t(`status.${sale.status}`)}</dd>
        <dt>{t('receipt.time')}</dt>
        <dd>{beijingTime(sale.created_at)}</dd>
        <dt>{t('receipt.reference')}</dt>
        <dd className="pos-receipt-ref">{sale.id}</dd>
      </dl>
      <QrImage text={sale.id} label={t('receipt.qr')} />
      <div className="pos-receipt-title">{t('receipt.thanks')}</div>
    </section>
  );
}
