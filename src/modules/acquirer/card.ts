/** Bank-card checks done before anything reaches the acquirer: Luhn, expiry, brand and type from the BIN. */

export type CardBrand = 'unionpay' | 'visa' | 'mastercard' | 'jcb' | 'amex';
export type CardFunding = 'debit' | 'credit';

export function luhnValid(pan: string): boolean {
  if (!/^\d{12,19}$/.test(pan)) return false;
  let sum = 0;
  let double = false;
  for (let i = pan.length - 1; i >= 0; i--) {
    let digit = pan.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

// Known issuer BINs with their funding type; other cards fall back to the brand's usual type.
const BIN_FUNDING: Record<string, CardFunding> = {
  '622202': 'debit', // ICBC 牡丹灵通卡
  '621483': 'debit', // CMB 一卡通
  '620000': 'debit',
  '622588': 'credit', // CMB credit
  '625094': 'credit',
  '424242': 'credit',
  '400000': 'credit',
  '555555': 'credit',
};

/** Brand from the leading digits (62 UnionPay, 4 Visa, 51-55 Mastercard, 35 JCB, 34/37 Amex). */
export function cardBrand(pan: string): CardBrand | undefined {
  if (pan.startsWith('62')) return 'unionpay';
  if (pan.startsWith('4')) return 'visa';
  const two = Number(pan.slice(0, 2));
  if (two >= 51 && two <= 55) return 'mastercard';
  if (two === 35) return 'jcb';
  if (two === 34 || two === 37) return 'amex';
  return undefined;
}

export function cardFunding(pan: string, brand: CardBrand): CardFunding {
  return BIN_FUNDING[pan.slice(0, 6)] ?? (brand === 'unionpay' ? 'debit' : 'credit');
}

/** `MM/YY` → true when the card is still valid at `now` (cards expire after the last day of the month, UTC). */
export function expiryValid(expiry: string, now: number): boolean {
  const match = /^(\d{2})\/(\d{2})$/.exec(expiry);
  if (!match) return false;
  const month = Number(match[1]);
  const year = 2000 + Number(match[2]);
  if (month < 1 || month > 12) return false;
  return now < Date.UTC(year, month, 1);
}

export function maskPan(pan: string): string {
  return `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;
}
