import { z } from 'zod';
import { fieldMessage } from '../../lib/i18n.js';

/** Amounts are integer fen, 1 .. 10^11 (¥1,000,000,000.00). */
export const Amount = z.int().min(1).max(100_000_000_000).describe('integer fen');

export const PaymentMethodInput = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('bank_card'),
    card: z.strictObject({
      number: z
        .string()
        .regex(/^\d{12,19}$/, fieldMessage({ zh: '卡号应为 12-19 位数字', en: 'card number must be 12-19 digits' })),
      expiry: z.string().regex(/^\d{2}\/\d{2}$/, fieldMessage({ zh: '有效期格式 MM/YY', en: 'expiry must be MM/YY' })),
      entry_mode: z.enum(['chip', 'contactless', 'swipe', 'manual']),
    }),
  }),
  z.strictObject({
    type: z.literal('qr'),
    wallet: z.enum(['wechat', 'alipay', 'unionpay']),
    auth_code: z
      .string()
      .regex(/^\d{16,24}$/, fieldMessage({ zh: '付款码应为 16-24 位数字', en: 'auth_code must be 16-24 digits' })),
  }),
  z.strictObject({
    type: z.literal('order'),
    order_no: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,64}$/,
        fieldMessage({ zh: '订单号 1-64 位字母数字', en: 'order_no: 1-64 of A-Z a-z 0-9 _ -' }),
      ),
  }),
  z.strictObject({ type: z.literal('cash'), tendered: Amount }),
]);
export type PaymentMethodInput = z.infer<typeof PaymentMethodInput>;

export const CreateSaleBody = z
  .strictObject({
    amount: Amount,
    currency: z.literal('CNY'),
    payment_method: PaymentMethodInput,
  })
  .meta({
    // ¥12.50 with the sandbox's UnionPay test card (it approves); /docs "Try it out" starts from it.
    examples: [
      {
        amount: 1250,
        currency: 'CNY',
        payment_method: {
          type: 'bank_card',
          card: { number: '6222020000000007', expiry: '12/30', entry_mode: 'chip' },
        },
      },
    ],
  });
export type CreateSaleBody = z.infer<typeof CreateSaleBody>;

export const PublicPaymentMethod = z.union([
  z.object({
    type: z.literal('bank_card'),
    card: z.object({
      brand: z.string(),
      funding: z.enum(['debit', 'credit']),
      first6: z.string(),
      last4: z.string(),
      masked: z.string(),
      entry_mode: z.string(),
    }),
  }),
  z.object({ type: z.literal('qr'), wallet: z.string(), auth_code_masked: z.string() }),
  z.object({ type: z.literal('order'), order_no: z.string() }),
  z.object({ type: z.literal('cash'), tendered: z.number(), change: z.number() }),
]);
export type PublicPaymentMethod = z.infer<typeof PublicPaymentMethod>;

export const SaleSchema = z.object({
  id: z.string(),
  object: z.literal('sale'),
  status: z.enum(['pending', 'succeeded', 'declined', 'voided']),
  amount: z.number(),
  currency: z.literal('CNY'),
  payment_method: PublicPaymentMethod,
  refunded_amount: z.number(),
  refundable_amount: z.number(),
  batch_id: z.string(),
  store_id: z.string(),
  terminal_id: z.string(),
  created_at: z.string(),
  decline_code: z.string().optional(),
});
export type Sale = z.infer<typeof SaleSchema>;
