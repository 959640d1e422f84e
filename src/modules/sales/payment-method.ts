import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import {
  type AcquirerResult,
  authCodeValid,
  cardBrand,
  cardFunding,
  expiryValid,
  type Instrument,
  luhnValid,
  maskAuthCode,
  maskPan,
} from '../acquirer/index.js';
import { SalesErrors } from './sales.errors.js';
import type { CreateSaleBody, PaymentMethodInput, PublicPaymentMethod } from './sales.schemas.js';
import type { SaleRow } from './sales.table.js';

export interface SaleOutcome {
  status: SaleRow['status'];
  declineCode: string | null;
  acquirerRef: string | null;
}

/** The booked state of a sale: cash succeeds; a card's follows the acquirer; no answer (a timeout) stays pending. */
export function outcomeOf(prepared: PreparedMethod, result: AcquirerResult | undefined): SaleOutcome {
  if (!prepared.instrument) return { status: 'succeeded', declineCode: null, acquirerRef: null };
  if (!result || result.status === 'pending') return { status: 'pending', declineCode: null, acquirerRef: null };
  return {
    status: result.status === 'approved' ? 'succeeded' : 'declined',
    declineCode: result.declineCode ?? null,
    acquirerRef: result.acquirerRef || null,
  };
}

export interface PreparedMethod {
  instrument: Instrument | undefined;
  detail: PublicPaymentMethod;
  fingerprint: string | null;
}

/** Validate the payment method and split it into what the acquirer gets and what is stored (masked). */
export function prepareMethod(input: CreateSaleBody, now: number, hmac: Hmac): PreparedMethod {
  const method: PaymentMethodInput = input.payment_method;
  switch (method.type) {
    case 'bank_card': {
      const { number: pan, expiry, entry_mode } = method.card;
      if (!luhnValid(pan))
        throw AppError.from(SalesErrors, 'CARD_NUMBER_INVALID', { param: 'payment_method.card.number' });
      const brand = cardBrand(pan);
      if (!brand) throw AppError.from(SalesErrors, 'CARD_BRAND_UNSUPPORTED', { param: 'payment_method.card.number' });
      if (!expiryValid(expiry, now))
        throw AppError.from(SalesErrors, 'CARD_EXPIRED', { param: 'payment_method.card.expiry' });
      return {
        instrument: { type: 'bank_card', pan, expiry, entryMode: entry_mode },
        detail: {
          type: 'bank_card',
          card: {
            brand,
            funding: cardFunding(pan, brand),
            first6: pan.slice(0, 6),
            last4: pan.slice(-4),
            masked: maskPan(pan),
            entry_mode,
          },
        },
        fingerprint: hmac.digest('card', pan),
      };
    }
    case 'qr':
      if (!authCodeValid(method.wallet, method.auth_code))
        throw AppError.from(SalesErrors, 'AUTH_CODE_INVALID', { param: 'payment_method.auth_code' });
      return {
        instrument: { type: 'qr', wallet: method.wallet, authCode: method.auth_code },
        detail: { type: 'qr', wallet: method.wallet, auth_code_masked: maskAuthCode(method.auth_code) },
        fingerprint: null,
      };
    case 'order':
      return {
        instrument: { type: 'order', orderNo: method.order_no },
        detail: { type: 'order', order_no: method.order_no },
        fingerprint: null,
      };
    case 'cash':
      if (method.tendered < input.amount)
        throw AppError.from(SalesErrors, 'CASH_TENDERED_TOO_LOW', { param: 'payment_method.tendered' });
      return {
        instrument: undefined,
        detail: { type: 'cash', tendered: method.tendered, change: method.tendered - input.amount },
        fingerprint: null,
      };
  }
}
