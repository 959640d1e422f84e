/** How a sale was paid; refunds go back the same way unless a store's policy allows cash. */
export type PaymentMethodType = 'bank_card' | 'qr' | 'order' | 'cash';
