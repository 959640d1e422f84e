import { z } from 'zod';
import { fieldMessage } from '../../lib/i18n.js';
import { Amount } from '../sales/index.js';

export const CreateRefundBody = z
  .strictObject({
    sale_id: z.string().min(1).max(64).describe('the `id` of the sale, e.g. from POST /v1/sales'),
    amount: Amount,
    reason: z.string().trim().min(1).max(200),
    type: z.enum(['refund', 'void']).default('refund'),
    /** Where the money goes: the original tender (default), or cash where the store's policy allows it. */
    refund_to: z.enum(['original', 'cash']).optional(),
  })
  .meta({ examples: [{ sale_id: 'sal_paste_the_sale_id_here', amount: 500, reason: '顾客退货 (returned goods)' }] });
export type CreateRefundBody = z.infer<typeof CreateRefundBody>;

export const AuthorizeRefundBody = z
  .strictObject({
    refund_key: z.string().min(1).max(128).optional().describe("the merchant's refund key (退款密钥)"),
    code: z
      .string()
      .regex(/^\d{4,10}$/, fieldMessage({ zh: '验证码为数字', en: 'code is digits' }))
      .optional()
      .describe('the one-time code sent to the owner or manager'),
  })
  .meta({ examples: [{ refund_key: 'the-refund-key-from-refundkey-demo' }] });
export type AuthorizeRefundBody = z.infer<typeof AuthorizeRefundBody>;

export { type Refund, RefundSchema } from '../refund-model/index.js';
