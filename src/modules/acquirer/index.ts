// The acquirer module as other modules see it: they import it only through this file (docs/architecture.md).

export type { Acquirer, AcquirerResult, Instrument, PlannedCharge } from './acquirer.js';
export { AcquirerTimeoutError } from './acquirer.js';
export { cardBrand, cardFunding, expiryValid, luhnValid, maskPan } from './card.js';
export type { PaymentMethodType } from './payment-method.js';
export { authCodeValid, maskAuthCode } from './qr.js';
export { JOURNAL_COLUMNS, journalInsert } from './sandbox-acquirer.js';
