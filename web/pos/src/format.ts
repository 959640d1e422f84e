import type { TFunction } from 'i18next';
import type { Sale } from './types.js';

export { formatYuan, parseYuan } from '../../shared/money.js';

const BEIJING = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** Times are shown in 北京时间 whatever the device's zone, as the receipts and the back office do. */
export function beijingTime(iso: string): string {
  return BEIJING.format(new Date(iso)).replaceAll('/', '-');
}

/** Card brands are proper names, written the same in both languages. */
const BRANDS: Record<string, string> = {
  unionpay: 'UnionPay',
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  jcb: 'JCB',
  discover: 'Discover',
};

/** "WeChat Pay", "Card ·0007", "Cash": how a cashier names the way a sale was paid. */
export function methodName(method: Sale['payment_method'], t: TFunction): string {
  switch (method.type) {
    case 'bank_card':
      return `${t('methods.card')} ${BRANDS[method.card.brand] ?? method.card.brand} ·${method.card.last4}`;
    case 'qr':
      return t(`methods.${method.wallet === 'wechat' || method.wallet === 'alipay' ? method.wallet : 'unionpay'}`);
    case 'cash':
      return t('methods.cash');
    default:
      return `${t('methods.order')} ${method.order_no}`;
  }
}

/** m:ss of a duration in milliseconds (never negative). */
export function minutesSeconds(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
